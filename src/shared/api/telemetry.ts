import { z } from 'zod';
import { method } from './define';

/**
 * The embedded runner's OpenTelemetry export, as the studio's settings keep it: off unless enabled
 * with an endpoint (the standard `OTEL_*` variables apply when it is off).
 */
export interface TelemetrySettings {
  enabled: boolean;
  /** Base URL of an OTLP/HTTP collector (`http://localhost:4318`); traces go to `/v1/traces`, metrics to `/v1/metrics`. */
  endpoint: string;
  protocol: 'http/protobuf' | 'http/json';
  serviceName: string;
}

/** What the runner exports now, and how it goes. */
export interface TelemetryStatus {
  traces: string | null;
  metrics: string | null;
  prometheus: boolean;
  spansExported: number;
  spansDropped: number;
  lastError: string | null;
}

export interface TelemetryState {
  settings: TelemetrySettings;
  status: TelemetryStatus | null;
}

/** A turn as an OTLP/JSON `ExportTraceServiceRequest` (what a collector takes on `/v1/traces`). */
export type OtlpTraceDocument = { resourceSpans: unknown[] } & Record<string, unknown>;

export const DEFAULT_TELEMETRY_SETTINGS: TelemetrySettings = {
  enabled: false,
  endpoint: '',
  protocol: 'http/protobuf',
  serviceName: 'greentic-studio',
};

const endpoint = z
  .string()
  .max(2048)
  .refine((value) => value === '' || /^https?:\/\/[^\s]+$/i.test(value), 'the endpoint is an http:// or https:// URL');

export const telemetrySettingsSchema = z
  .object({
    enabled: z.boolean(),
    endpoint,
    protocol: z.enum(['http/protobuf', 'http/json']),
    serviceName: z.string().min(1).max(256),
  })
  .strict()
  .refine((settings) => !settings.enabled || settings.endpoint !== '', { message: 'an endpoint is needed to export', path: ['endpoint'] });

const id = z.string().min(1).max(256);
const tracePath = z.string().min(1).max(4096).regex(/\.json$/i, 'an OTLP/JSON trace file ends in .json');

export const telemetryMethods = {
  getTelemetry: method<TelemetryState>()(z.object({}).strict()),
  /** Saves the settings and applies them to the next turn. */
  setTelemetrySettings: method<TelemetryState>()(telemetrySettingsSchema),
  /** One turn of a conversation, from its kept trace events, as OTLP/JSON (what the timeline shows). */
  exportTurnTrace: method<OtlpTraceDocument>()(z.object({ conversationId: id, turnId: id }).strict()),
  /** Writes that document to a file (absolute, or relative to the open project) and says where. */
  saveTurnTrace: method<{ path: string }>()(z.object({ conversationId: id, turnId: id, path: tracePath }).strict()),
  /** Reads an OTLP/JSON trace file back (the timeline parses and checks it). */
  openTraceFile: method<OtlpTraceDocument>()(z.object({ path: tracePath }).strict()),
};
