/**
 * The runner's metrics: turns by flow and outcome, turn and node durations, active sessions,
 * channel message counts and dropped spans. Pushed by OTLP when an endpoint is set, and kept for
 * `/metrics` (Prometheus text) with `serve --metrics`.
 */
import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import { OTLPMetricExporter as OTLPJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MetricReader, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { TraceEvent, TraceEventType } from '../../shared/api/trace';
import {
  ATTR_CHANNEL,
  ATTR_FLOW,
  ATTR_NODE,
  METRIC_ACTIVE_SESSIONS,
  METRIC_MESSAGES,
  METRIC_NODE_DURATION,
  METRIC_SPANS_DROPPED,
  METRIC_TURN_DURATION,
  METRIC_TURNS,
} from '../../shared/telemetry/attributes';
import type { OtlpTarget } from './config';

export type MessageChannel = 'directline' | 'nats';
export type MessageDirection = 'in' | 'out';

/** What `turnObserver` reads besides the turn's start and end. */
export const METRIC_EVENTS: ReadonlySet<TraceEventType> = new Set(['node_end', 'node_error']);

/** Buckets for durations in milliseconds: a node takes well under a millisecond to seconds. */
const DURATION_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

export class RunnerMetrics {
  private readonly turns: Counter;
  private readonly turnDuration: Histogram;
  private readonly nodeDuration: Histogram;
  private readonly messages: Counter;

  constructor(meter: Meter, sources: { activeSessions: () => number; spansDropped: () => number }) {
    this.turns = meter.createCounter(METRIC_TURNS, { description: 'Turns run, by flow and outcome' });
    const advice = { explicitBucketBoundaries: DURATION_BUCKETS_MS };
    this.turnDuration = meter.createHistogram(METRIC_TURN_DURATION, { description: 'Turn duration', unit: 'ms', advice });
    this.nodeDuration = meter.createHistogram(METRIC_NODE_DURATION, { description: 'Node run duration', unit: 'ms', advice });
    this.messages = meter.createCounter(METRIC_MESSAGES, { description: 'Messages through the Direct Line and NATS channels' });
    meter
      .createObservableGauge(METRIC_ACTIVE_SESSIONS, { description: 'Sessions with a flow parked in this runner, waiting for the next message' })
      .addCallback((result) => result.observe(sources.activeSessions()));
    meter
      .createObservableCounter(METRIC_SPANS_DROPPED, { description: 'Spans that never reached the collector' })
      .addCallback((result) => result.observe(sources.spansDropped()));
  }

  /** A consumer of one turn's trace events; of the node events it needs only `METRIC_EVENTS`. */
  turnObserver(): (event: TraceEvent) => void {
    let flowId = '';
    return (event) => {
      if (event.type === 'turn_start') flowId = event.flowId;
      else if (event.type === 'node_end' || (event.type === 'node_error' && event.durationMs !== undefined)) {
        this.nodeDuration.record(event.durationMs ?? 0, { [ATTR_FLOW]: event.flowId, [ATTR_NODE]: event.nodeId });
      } else if (event.type === 'turn_end') {
        const attributes: Attributes = { [ATTR_FLOW]: flowId, outcome: event.status };
        this.turns.add(1, attributes);
        this.turnDuration.record(event.durationMs, attributes);
      }
    };
  }

  message(channel: MessageChannel, direction: MessageDirection, count = 1): void {
    if (count > 0) this.messages.add(count, { [ATTR_CHANNEL]: channel, direction });
  }
}

export function otlpMetricReader(target: OtlpTarget, intervalMs: number): MetricReader {
  const config = { url: target.url, headers: target.headers };
  const exporter: PushMetricExporter = target.protocol === 'http/json' ? new OTLPJsonMetricExporter(config) : new OTLPProtoMetricExporter(config);
  return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: intervalMs, exportTimeoutMillis: Math.min(intervalMs, 30_000) });
}

/** Metrics read on request, for a Prometheus scrape of `/metrics`. */
export class PrometheusReader extends MetricReader {
  private readonly serializer = new PrometheusSerializer();

  async text(): Promise<string> {
    const { resourceMetrics } = await this.collect();
    return this.serializer.serialize(resourceMetrics);
  }

  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}
