/**
 * W3C trace context (`traceparent`, `tracestate`) in and out of the channels' headers: what joins a
 * turn to the gateway message that caused it, and its replies and component requests to the turn.
 */
import { ROOT_CONTEXT, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** The trace context a message carries; either field may be absent. */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

const propagator = new W3CTraceContextPropagator();
/** Longer values are no trace context (W3C: traceparent is 55 characters, tracestate at most 512). */
const MAX_HEADER_LENGTH = 1024;

const getter: TextMapGetter<TraceHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => (key === 'traceparent' || key === 'tracestate' ? carrier[key] : undefined),
};

const setter: TextMapSetter<TraceHeaders> = {
  set: (carrier, key, value) => {
    if (key === 'traceparent' || key === 'tracestate') carrier[key] = value;
  },
};

/** The caller's context, or the root context when the headers hold none (or a malformed one, which W3C says to ignore). */
export function extractContext(headers: TraceHeaders | undefined): Context {
  if (!headers?.traceparent) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, headers, getter);
}

export function injectHeaders(context: Context): TraceHeaders {
  const headers: TraceHeaders = {};
  propagator.inject(context, headers, setter);
  return headers;
}

/** The trace headers of a header lookup (HTTP request, NATS message), bounded in size. */
export function traceHeadersFrom(get: (name: string) => string | undefined): TraceHeaders | undefined {
  const traceparent = bounded(get('traceparent'));
  if (!traceparent) return undefined;
  const tracestate = bounded(get('tracestate'));
  return { traceparent, ...(tracestate ? { tracestate } : {}) };
}

function bounded(value: string | undefined): string | undefined {
  return value !== undefined && value.length > 0 && value.length <= MAX_HEADER_LENGTH ? value : undefined;
}
