import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/**
 * A real OTLP/HTTP collector for tests: takes `POST /v1/traces` and `/v1/metrics` in protobuf
 * (decoded with the official opentelemetry-proto definitions) or JSON, and keeps what arrived as
 * plain spans and metric names.
 */

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  status: { code: number; message: string };
  resource: Record<string, unknown>;
}

export interface ReceivedRequest {
  path: string;
  contentType: string;
}

const protoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), 'otlp-proto');

let typesPromise: Promise<{ traces: protobuf.Type; metrics: protobuf.Type }> | null = null;
function types() {
  typesPromise ??= (async () => {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(protoRoot, target));
    await root.load(['opentelemetry/proto/collector/trace/v1/trace_service.proto', 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto'], { keepCase: false });
    return {
      traces: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
      metrics: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
    };
  })();
  return typesPromise;
}

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly metricNames = new Set<string>();
  readonly requests: ReceivedRequest[] = [];
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<OtlpReceiver> {
    await types();
    const holder: { receiver?: OtlpReceiver } = {};
    const server = createServer((req, res) => {
      void holder.receiver!.take(req).then(
        (status) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end('{}');
        },
        (error: unknown) => {
          res.writeHead(400, { 'content-type': 'text/plain' });
          res.end(String(error));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.receiver = new OtlpReceiver(server, `http://127.0.0.1:${port}`);
    return holder.receiver;
  }

  /** Resolves once `test` holds for what arrived (checked on every request), or rejects after `timeoutMs`. */
  async waitFor<T>(test: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = test();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the OTLP receiver did not get what the test waits for within ${timeoutMs} ms (${this.spans.length} spans so far)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  spansOf(traceId: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async take(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const contentType = String(req.headers['content-type'] ?? '');
    const url = req.url ?? '';
    this.requests.push({ path: url, contentType });
    const json = contentType.includes('json');
    const { traces, metrics } = await types();
    if (url === '/v1/traces') {
      const request = json ? (JSON.parse(body.toString('utf8')) as OtlpJson) : (traces.toObject(traces.decode(body), { longs: String, bytes: String }) as OtlpJson);
      for (const span of spansOf(request, json)) this.spans.push(span);
    } else if (url === '/v1/metrics') {
      const request = json ? (JSON.parse(body.toString('utf8')) as OtlpJson) : (metrics.toObject(metrics.decode(body), { longs: String }) as OtlpJson);
      for (const resource of request.resourceMetrics ?? []) {
        for (const scope of resource.scopeMetrics ?? []) for (const metric of scope.metrics ?? []) this.metricNames.add(String(metric.name));
      }
    } else return 404;
    for (const wake of this.waiters.splice(0)) wake();
    return 200;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type OtlpJson = Record<string, any>;

/** Span fields in either encoding: hex ids in JSON, base64 bytes from protobuf. */
function spansOf(request: OtlpJson, json: boolean): ReceivedSpan[] {
  const id = (value: unknown) => (typeof value !== 'string' || value === '' ? '' : json ? value.toLowerCase() : Buffer.from(value, 'base64').toString('hex'));
  const result: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        result.push({
          traceId: id(span.traceId),
          spanId: id(span.spanId),
          parentSpanId: id(span.parentSpanId),
          name: String(span.name),
          kind: kindOf(span.kind),
          startNs: BigInt(span.startTimeUnixNano ?? 0),
          endNs: BigInt(span.endTimeUnixNano ?? 0),
          attributes: attributesOf(span.attributes),
          events: (span.events ?? []).map((event: OtlpJson) => ({ name: String(event.name), attributes: attributesOf(event.attributes) })),
          status: { code: statusOf(span.status?.code), message: String(span.status?.message ?? '') },
          resource,
        });
      }
    }
  }
  return result;
}

const KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
function kindOf(value: unknown): number {
  return typeof value === 'number' ? value : Math.max(0, KINDS.indexOf(String(value)));
}

const STATUS = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
function statusOf(value: unknown): number {
  return typeof value === 'number' ? value : Math.max(0, STATUS.indexOf(String(value)));
}

function attributesOf(list: OtlpJson[] | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) result[String(key)] = valueOf(value);
  return result;
}

function valueOf(value: OtlpJson | undefined): unknown {
  if (!value) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('boolValue' in value) return value.boolValue;
  if ('arrayValue' in value) return (value.arrayValue.values ?? []).map(valueOf);
  return undefined;
}
