/**
 * The runner's OpenTelemetry: built once from a `TelemetryConfig`, it gives each turn a consumer of
 * the engine's trace events (spans and metrics), wraps components' HTTP requests and the NATS
 * egress in spans that carry the trace on, and counts channel messages. The engine knows nothing
 * of it; the channels hand it the trace context they received.
 */
import { SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import type { TelemetryStatus } from '../../shared/api/telemetry';
import type { TraceEvent, TraceEventType } from '../../shared/api/trace';
import type { OutgoingHttpHook } from '../components/wasm/services/host-services';
import { ATTR_NODE, SPAN_TURN } from '../../shared/telemetry/attributes';
import type { TelemetryConfig } from './config';
import { METRIC_EVENTS, otlpMetricReader, PrometheusReader, RunnerMetrics, type MessageChannel, type MessageDirection } from './metrics';
import { extractContext, injectHeaders, type TraceHeaders } from './propagation';
import { CountedSpanPipeline, type SpanDeliveryStats } from './span-pipeline';
import { fail, TurnSpans, type TurnScope } from './turn-spans';

/** Messaging semantic conventions (still incubating upstream, so spelled here rather than imported). */
const ATTR_MESSAGING_SYSTEM = 'messaging.system';
const ATTR_MESSAGING_DESTINATION = 'messaging.destination.name';
const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
const ATTR_MESSAGING_BATCH_COUNT = 'messaging.batch.message_count';

export type TurnCause = 'studio' | 'directline' | 'nats';
export type { TelemetryStatus };

export interface TurnTelemetryRequest {
  scope: TurnScope;
  cause: TurnCause;
  /** The trace context the message arrived with. */
  traceHeaders?: TraceHeaders;
  /** For a NATS delivery: the ingress subject. */
  subject?: string;
}

/** One turn's side of telemetry. */
export interface TurnTelemetry {
  /** The consumer of the turn's trace events; absent when nothing wants them (the sampler dropped the turn, no metrics). */
  observe?: (event: TraceEvent) => void;
  /** The kinds of event `observe` needs besides the turn's start and end; every kind when absent (see `TurnRequest.observedEvents`). */
  observedEvents?: ReadonlySet<TraceEventType>;
  /** The turn span's trace context, once the turn started (what its replies carry). */
  traceHeaders(): TraceHeaders | undefined;
}


export interface TelemetryOptions {
  /** Told when spans were dropped; called at most once per `reportEveryMs`. */
  onDropped?: (status: TelemetryStatus, reason: string) => void;
  reportEveryMs?: number;
  version?: string;
}

export class Telemetry {
  private readonly tracer: Tracer | null = null;
  private readonly tracerProvider: BasicTracerProvider | null = null;
  private readonly pipeline: CountedSpanPipeline | null = null;
  private readonly meterProvider: MeterProvider | null = null;
  private readonly metrics: RunnerMetrics | null = null;
  private readonly prometheus: PrometheusReader | null = null;
  /** Turns running now, by turn id: where a component's HTTP request finds its parent span. */
  private readonly running = new Map<string, TurnSpans>();
  private readonly parkedSessions = new Set<string>();
  private lastReport = 0;

  constructor(
    readonly config: TelemetryConfig,
    private readonly options: TelemetryOptions = {},
  ) {
    const resource = resourceFromAttributes({ ...config.resourceAttributes, [ATTR_SERVICE_NAME]: config.serviceName });
    const scope = { name: 'greentic-studio', ...(options.version ? { version: options.version } : {}) };
    if (config.traces) {
      this.pipeline = new CountedSpanPipeline({
        target: config.traces,
        maxQueueSize: config.maxQueueSize,
        scheduledDelayMs: config.scheduledDelayMs,
        exportTimeoutMs: config.exportTimeoutMs,
        onDropped: (_stats, reason) => this.reportDrop(reason),
      });
      this.tracerProvider = new BasicTracerProvider({ resource, sampler: config.sampler, spanProcessors: [this.pipeline] });
      this.tracer = this.tracerProvider.getTracer(scope.name, scope.version);
    }
    const readers: MetricReader[] = [];
    if (config.metrics) readers.push(otlpMetricReader(config.metrics, config.metricIntervalMs));
    if (config.prometheus) {
      this.prometheus = new PrometheusReader();
      readers.push(this.prometheus);
    }
    if (readers.length > 0) {
      this.meterProvider = new MeterProvider({ resource, readers });
      this.metrics = new RunnerMetrics(this.meterProvider.getMeter(scope.name, scope.version), {
        activeSessions: () => this.parkedSessions.size,
        spansDropped: () => this.pipeline?.stats.dropped ?? 0,
      });
    }
  }

  startTurn(request: TurnTelemetryRequest): TurnTelemetry {
    const parent = extractContext(request.traceHeaders);
    const kind = request.cause === 'nats' ? SpanKind.CONSUMER : request.cause === 'directline' ? SpanKind.SERVER : SpanKind.INTERNAL;
    // Started here rather than at the turn's first event, so an unsampled turn costs the engine no events at all.
    const turnSpan = this.tracer?.startSpan(SPAN_TURN, { kind }, parent);
    const spans =
      this.tracer && turnSpan?.isRecording()
        ? new TurnSpans(this.tracer, {
            scope: request.scope,
            parent,
            kind,
            turnSpan,
            ...(request.cause === 'nats'
              ? { attributes: { [ATTR_MESSAGING_SYSTEM]: 'nats', [ATTR_MESSAGING_OPERATION_TYPE]: 'process', [ATTR_MESSAGING_DESTINATION]: request.subject ?? '' } }
              : {}),
          })
        : null;
    const unsampled = turnSpan && !spans ? turnSpan : undefined;
    const metrics = this.metrics?.turnObserver();
    const headers = () => (unsampled ? injectHeaders(trace.setSpan(parent, unsampled)) : undefined);
    if (!spans && !metrics) return { traceHeaders: headers };
    const sessionKey = request.scope.sessionKey;
    return {
      observe: (event) => {
        if (spans) {
          if (event.type === 'turn_start') this.running.set(event.turnId, spans);
          spans.observe(event);
          if (event.type === 'turn_end') this.running.delete(event.turnId);
        }
        metrics?.(event);
        if (event.type === 'turn_end') {
          if (event.status === 'waiting') this.parkedSessions.add(sessionKey);
          else if (event.status === 'completed') this.parkedSessions.delete(sessionKey);
        }
      },
      // Without spans only the metrics read the events: the engine builds no others.
      ...(spans ? {} : { observedEvents: METRIC_EVENTS }),
      traceHeaders: () => {
        const context = spans?.context;
        return context ? injectHeaders(context) : headers();
      },
    };
  }

  /** Client spans for components' HTTP requests, with the trace context added to the request; null when tracing is off. */
  get outgoingHttp(): OutgoingHttpHook | null {
    const tracer = this.tracer;
    if (!tracer) return null;
    return async (request, scope, send) => {
      const parent = this.running.get(scope.ctx.traceId)?.activeFor(scope.ctx.nodeId);
      if (!parent) return send(request);
      const method = request.method.toUpperCase();
      const span = tracer.startSpan(
        method,
        { kind: SpanKind.CLIENT, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, ...urlAttributes(request.url), [ATTR_NODE]: scope.ctx.nodeId } },
        trace.setSpan(extractContext(undefined), parent),
      );
      const carried = injectHeaders(trace.setSpan(extractContext(undefined), span));
      const headers = request.headers.filter(([name]) => !/^trace(parent|state)$/i.test(name));
      for (const [name, value] of Object.entries(carried)) headers.push([name, value]);
      const reply = await send({ ...request, headers });
      if (reply.ok) {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.value.status);
        if (reply.value.status >= 400) {
          span.setAttribute(ATTR_ERROR_TYPE, String(reply.value.status));
          span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${reply.value.status}` });
        }
      } else {
        span.setAttribute(ATTR_ERROR_TYPE, reply.error.code);
        fail(span, reply.error.code, reply.error.message);
      }
      span.end();
      return reply;
    };
  }

  /**
   * A producer span around publishing a turn's replies on `subject`, child of the turn; `publish`
   * gets the headers the messages carry (the trace goes on to egress workers).
   */
  async publishing<T>(subject: string, turn: TraceHeaders | undefined, count: number, publish: (headers: TraceHeaders | undefined) => Promise<T>): Promise<T> {
    this.metrics?.message('nats', 'out', count);
    if (!this.tracer || !turn) return publish(turn);
    const attributes: Attributes = {
      [ATTR_MESSAGING_SYSTEM]: 'nats',
      [ATTR_MESSAGING_OPERATION_TYPE]: 'send',
      [ATTR_MESSAGING_DESTINATION]: subject,
      [ATTR_MESSAGING_BATCH_COUNT]: count,
    };
    const span: Span = this.tracer.startSpan(`send ${subject}`, { kind: SpanKind.PRODUCER, attributes }, extractContext(turn));
    try {
      return await publish(injectHeaders(trace.setSpan(extractContext(turn), span)));
    } catch (error) {
      fail(span, 'publish_failed', error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      span.end();
    }
  }

  message(channel: MessageChannel, direction: MessageDirection, count = 1): void {
    this.metrics?.message(channel, direction, count);
  }

  /** The metrics as Prometheus text; null unless `/metrics` is served. */
  async prometheusText(): Promise<string | null> {
    return this.prometheus ? this.prometheus.text() : null;
  }

  status(): TelemetryStatus {
    const stats: SpanDeliveryStats = this.pipeline?.stats ?? { exported: 0, dropped: 0, lastError: null };
    return {
      traces: this.config.traces?.url ?? null,
      metrics: this.config.metrics?.url ?? null,
      prometheus: this.prometheus !== null,
      spansExported: stats.exported,
      spansDropped: stats.dropped,
      lastError: stats.lastError,
    };
  }

  /** Sends what is queued now (tests, a clean exit); what cannot be sent is counted as dropped, never thrown. */
  async flush(): Promise<void> {
    await Promise.all([this.tracerProvider?.forceFlush().catch(() => undefined), this.meterProvider?.forceFlush().catch(() => undefined)]);
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.tracerProvider?.shutdown().catch(() => undefined), this.meterProvider?.shutdown().catch(() => undefined)]);
  }

  private reportDrop(reason: string): void {
    const now = Date.now();
    if (now - this.lastReport < (this.options.reportEveryMs ?? 5_000)) return;
    this.lastReport = now;
    this.options.onDropped?.(this.status(), reason);
  }
}

function urlAttributes(raw: string): Attributes {
  try {
    const url = new URL(raw);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    // The query may hold keys: the span keeps the URL without it.
    return { [ATTR_URL_FULL]: `${url.origin}${url.pathname}`, [ATTR_SERVER_ADDRESS]: url.hostname, [ATTR_SERVER_PORT]: port };
  } catch {
    return {};
  }
}
