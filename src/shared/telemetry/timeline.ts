/**
 * A turn's waterfall from an OTLP/JSON trace document (what the runner exports, what "Save as OTLP
 * JSON" writes): every span as a row with its start and duration relative to the turn, nested under
 * its parent, errors marked. Any OTLP/JSON file opens; a broken one names what is wrong.
 */
import { ATTR_FLOW, ATTR_NODE, ATTR_OP, ATTR_TURN_ID, SPAN_COMPONENT, SPAN_NODE_PREFIX, SPAN_TURN } from './attributes';

export type TimelineKind = 'turn' | 'node' | 'component' | 'http' | 'messaging' | 'other';

export interface TimelineRow {
  spanId: string;
  parentId: string | null;
  depth: number;
  kind: TimelineKind;
  label: string;
  flowId?: string;
  nodeId?: string;
  /** Milliseconds from the start of the turn. */
  startMs: number;
  durationMs: number;
  error?: string;
  events: Array<{ name: string; atMs: number }>;
}

export interface TurnTimeline {
  traceId: string;
  turnId?: string;
  /** The turn's start, milliseconds since the epoch. */
  startedAt: number;
  durationMs: number;
  rows: TimelineRow[];
}

export class TimelineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimelineError';
  }
}

const MAX_SPANS = 20_000;
const STATUS_ERROR = 2;

interface RawSpan {
  traceId: string;
  spanId: string;
  parentId: string | null;
  name: string;
  start: bigint;
  end: bigint;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; time: bigint }>;
  error?: string;
}

export function timelineFromOtlp(document: unknown): TurnTimeline {
  const spans = spansOf(document);
  if (spans.length === 0) throw new TimelineError('the file holds no spans');
  const root = spans.find((span) => span.name === SPAN_TURN) ?? spans.find((span) => !span.parentId || !spans.some((other) => other.spanId === span.parentId));
  if (!root) throw new TimelineError('the file holds no root span');
  const trace = spans.filter((span) => span.traceId === root.traceId);
  const children = new Map<string, RawSpan[]>();
  for (const span of trace) {
    if (span === root || !span.parentId) continue;
    const list = children.get(span.parentId) ?? [];
    list.push(span);
    children.set(span.parentId, list);
  }
  const rows: TimelineRow[] = [];
  const visit = (span: RawSpan, depth: number) => {
    rows.push(rowOf(span, depth, root.start));
    for (const child of (children.get(span.spanId) ?? []).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))) visit(child, depth + 1);
  };
  visit(root, 0);
  const turnId = root.attributes[ATTR_TURN_ID];
  return {
    traceId: root.traceId,
    ...(typeof turnId === 'string' ? { turnId } : {}),
    startedAt: Number(root.start / 1_000_000n),
    durationMs: nanosToMs(root.end - root.start),
    rows,
  };
}

function rowOf(span: RawSpan, depth: number, origin: bigint): TimelineRow {
  const nodeId = stringAttr(span, ATTR_NODE);
  const flowId = stringAttr(span, ATTR_FLOW);
  const kind: TimelineKind =
    span.name === SPAN_TURN
      ? 'turn'
      : span.name === SPAN_COMPONENT
        ? 'component'
        : span.name.startsWith(SPAN_NODE_PREFIX)
          ? 'node'
          : 'http.request.method' in span.attributes
            ? 'http'
            : 'messaging.system' in span.attributes
              ? 'messaging'
              : 'other';
  const label =
    kind === 'turn'
      ? `turn · ${flowId ?? ''}`
      : kind === 'node'
        ? (nodeId ?? span.name)
        : kind === 'component'
          ? (stringAttr(span, ATTR_OP) ?? span.name)
          : kind === 'http'
            ? `${span.name} ${stringAttr(span, 'url.full') ?? ''}`.trim()
            : span.name;
  return {
    spanId: span.spanId,
    parentId: span.parentId,
    depth,
    kind,
    label,
    ...(flowId ? { flowId } : {}),
    ...(nodeId ? { nodeId } : {}),
    startMs: nanosToMs(span.start - origin),
    durationMs: nanosToMs(span.end - span.start),
    ...(span.error !== undefined ? { error: span.error } : {}),
    events: span.events.filter((event) => event.name !== 'exception').map((event) => ({ name: event.name, atMs: nanosToMs(event.time - origin) })),
  };
}

function spansOf(document: unknown): RawSpan[] {
  if (!isRecord(document) || !Array.isArray(document.resourceSpans)) throw new TimelineError('not an OTLP/JSON trace: it has no resourceSpans list');
  const spans: RawSpan[] = [];
  document.resourceSpans.forEach((resource, r) => {
    const scopes = isRecord(resource) ? resource.scopeSpans : undefined;
    if (!Array.isArray(scopes)) throw new TimelineError(`resourceSpans[${r}] has no scopeSpans list`);
    scopes.forEach((scope, s) => {
      const list = isRecord(scope) ? scope.spans : undefined;
      if (!Array.isArray(list)) throw new TimelineError(`resourceSpans[${r}].scopeSpans[${s}] has no spans list`);
      list.forEach((span, i) => {
        if (spans.length >= MAX_SPANS) throw new TimelineError(`the file holds more than ${MAX_SPANS} spans`);
        spans.push(spanOf(span, `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`));
      });
    });
  });
  return spans;
}

function spanOf(value: unknown, where: string): RawSpan {
  if (!isRecord(value)) throw new TimelineError(`${where} is not an object`);
  const traceId = hexId(value.traceId, 32, `${where}.traceId`);
  const spanId = hexId(value.spanId, 16, `${where}.spanId`);
  const parent = value.parentSpanId === undefined || value.parentSpanId === '' ? null : hexId(value.parentSpanId, 16, `${where}.parentSpanId`);
  if (typeof value.name !== 'string') throw new TimelineError(`${where}.name is not a string`);
  const start = nanos(value.startTimeUnixNano, `${where}.startTimeUnixNano`);
  const end = nanos(value.endTimeUnixNano, `${where}.endTimeUnixNano`);
  if (end < start) throw new TimelineError(`${where} ends before it starts`);
  const status = isRecord(value.status) ? value.status : {};
  const failed = status.code === STATUS_ERROR || status.code === 'STATUS_CODE_ERROR';
  const events = Array.isArray(value.events)
    ? value.events.flatMap((event, e) =>
        isRecord(event) && typeof event.name === 'string' ? [{ name: event.name, time: nanos(event.timeUnixNano, `${where}.events[${e}].timeUnixNano`) }] : [],
      )
    : [];
  return {
    traceId,
    spanId,
    parentId: parent,
    name: value.name,
    start,
    end,
    attributes: attributesOf(value.attributes),
    events,
    ...(failed ? { error: typeof status.message === 'string' && status.message !== '' ? status.message : 'error' } : {}),
  };
}

function attributesOf(list: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (!Array.isArray(list)) return result;
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.key !== 'string' || !isRecord(entry.value)) continue;
    const value = entry.value;
    result[entry.key] = value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue;
  }
  return result;
}

function stringAttr(span: RawSpan, key: string): string | undefined {
  const value = span.attributes[key];
  return typeof value === 'string' ? value : undefined;
}

function hexId(value: unknown, length: number, where: string): string {
  if (typeof value !== 'string' || value.length !== length || !/^[0-9a-f]+$/i.test(value)) {
    throw new TimelineError(`${where} must be ${length} hexadecimal digits`);
  }
  return value.toLowerCase();
}

function nanos(value: unknown, where: string): bigint {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new TimelineError(`${where} must be a whole number of nanoseconds`);
}

function nanosToMs(value: bigint): number {
  return Number(value) / 1_000_000;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
