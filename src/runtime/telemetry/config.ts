/**
 * What the runner exports, from the standard `OTEL_*` environment variables and the runner's own
 * settings (`serve --otlp`, the studio's settings). Nothing is exported unless an endpoint is set.
 */
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

export interface OtlpTarget {
  /** The full URL of the signal (`…/v1/traces`, `…/v1/metrics`). */
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
}

export interface TelemetryConfig {
  traces: OtlpTarget | null;
  metrics: OtlpTarget | null;
  /** Keep metrics for `/metrics` (Prometheus text), whether or not they are pushed. */
  prometheus: boolean;
  serviceName: string;
  resourceAttributes: Record<string, string>;
  sampler: Sampler;
  /** Spans waiting for export at most; more are dropped (and counted), never waited for. */
  maxQueueSize: number;
  scheduledDelayMs: number;
  exportTimeoutMs: number;
  metricIntervalMs: number;
}

export interface TelemetryOverrides {
  /** A base endpoint (`http://collector:4318`), as `OTEL_EXPORTER_OTLP_ENDPOINT` takes it; wins over the environment. */
  endpoint?: string;
  protocol?: OtlpProtocol;
  serviceName?: string;
  prometheus?: boolean;
}

export class TelemetryConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TelemetryConfigError';
  }
}

export const DEFAULT_SERVICE_NAME = 'greentic-studio';

type Env = Record<string, string | undefined>;

export function telemetryConfig(env: Env, overrides: TelemetryOverrides = {}): TelemetryConfig {
  const disabled = value(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
  const headers = parseList(value(env, 'OTEL_EXPORTER_OTLP_HEADERS') ?? '', 'OTEL_EXPORTER_OTLP_HEADERS');
  const target = (signal: 'traces' | 'metrics'): OtlpTarget | null => {
    const upper = signal.toUpperCase();
    if (disabled || value(env, `OTEL_${upper}_EXPORTER`) === 'none') return null;
    const base = overrides.endpoint ?? value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
    const own = overrides.endpoint === undefined ? value(env, `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`) : undefined;
    const url = own ?? (base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/${signal}`);
    if (url === undefined) return null;
    checkUrl(url, own === undefined ? (overrides.endpoint === undefined ? 'OTEL_EXPORTER_OTLP_ENDPOINT' : 'the OTLP endpoint') : `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`);
    const protocol = overrides.protocol ?? protocolOf(value(env, `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`) ?? value(env, 'OTEL_EXPORTER_OTLP_PROTOCOL'));
    const own_headers = parseList(value(env, `OTEL_EXPORTER_OTLP_${upper}_HEADERS`) ?? '', `OTEL_EXPORTER_OTLP_${upper}_HEADERS`);
    return { url, protocol, headers: { ...headers, ...own_headers } };
  };
  const resourceAttributes = parseList(value(env, 'OTEL_RESOURCE_ATTRIBUTES') ?? '', 'OTEL_RESOURCE_ATTRIBUTES');
  return {
    traces: target('traces'),
    metrics: target('metrics'),
    prometheus: !disabled && overrides.prometheus === true,
    serviceName: overrides.serviceName ?? value(env, 'OTEL_SERVICE_NAME') ?? resourceAttributes['service.name'] ?? DEFAULT_SERVICE_NAME,
    resourceAttributes,
    sampler: samplerOf(value(env, 'OTEL_TRACES_SAMPLER'), value(env, 'OTEL_TRACES_SAMPLER_ARG')),
    maxQueueSize: positive(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048),
    scheduledDelayMs: positive(env, 'OTEL_BSP_SCHEDULE_DELAY', 1000),
    exportTimeoutMs: positive(env, 'OTEL_BSP_EXPORT_TIMEOUT', 10_000),
    metricIntervalMs: positive(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000),
  };
}

/** True when the configuration exports or keeps anything at all. */
export function telemetryWanted(config: TelemetryConfig): boolean {
  return config.traces !== null || config.metrics !== null || config.prometheus;
}

export function protocolOf(raw: string | undefined): OtlpProtocol {
  if (raw === undefined) return 'http/protobuf';
  if ((OTLP_PROTOCOLS as readonly string[]).includes(raw)) return raw as OtlpProtocol;
  if (raw === 'grpc') throw new TelemetryConfigError('OTLP over gRPC is not supported by the studio: use http/protobuf or http/json');
  throw new TelemetryConfigError(`unknown OTLP protocol "${raw}": use http/protobuf or http/json`);
}

function samplerOf(name: string | undefined, arg: string | undefined): Sampler {
  const ratio = (): number => {
    if (arg === undefined) return 1;
    const parsed = Number(arg);
    if (arg.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > 1) {
      throw new TelemetryConfigError(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, not "${arg}"`);
    }
    return parsed;
  };
  switch (name ?? 'parentbased_always_on') {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio());
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio()) });
    default:
      throw new TelemetryConfigError(
        `unknown OTEL_TRACES_SAMPLER "${name}": use always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio`,
      );
  }
}

/** `key=value,key=value` with percent-encoded values (W3C baggage style, as OTEL_RESOURCE_ATTRIBUTES and the header variables take it). */
function parseList(raw: string, name: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    const key = at < 0 ? '' : part.slice(0, at).trim();
    if (key === '') throw new TelemetryConfigError(`${name}: "${part.trim()}" is not key=value`);
    try {
      entries[key] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      throw new TelemetryConfigError(`${name}: the value of ${key} is not valid percent-encoding`);
    }
  }
  return entries;
}

function checkUrl(url: string, source: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TelemetryConfigError(`${source} must be an http:// or https:// URL, not "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TelemetryConfigError(`${source} must be an http:// or https:// URL, not "${url}"`);
}

function positive(env: Env, name: string, fallback: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new TelemetryConfigError(`${name} must be a positive whole number, not "${raw}"`);
  return parsed;
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}
