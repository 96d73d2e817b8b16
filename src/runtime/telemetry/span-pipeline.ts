/**
 * The export side of tracing: a bounded batch queue in front of an OTLP exporter, with every span
 * that does not reach the collector counted (queue full, export failed). Ending a span never waits
 * for the collector: the queue takes it or drops it.
 */
import type { Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, type ReadableSpan, type Span, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { OtlpTarget } from './config';

export interface SpanDeliveryStats {
  exported: number;
  dropped: number;
  lastError: string | null;
}

export interface SpanPipelineOptions {
  target: OtlpTarget;
  maxQueueSize: number;
  scheduledDelayMs: number;
  exportTimeoutMs: number;
  /** Called after spans were dropped, with the totals so far. */
  onDropped: (stats: SpanDeliveryStats, reason: string) => void;
}

export function otlpSpanExporter(target: OtlpTarget, timeoutMillis: number): SpanExporter {
  const config = { url: target.url, headers: target.headers, timeoutMillis };
  return target.protocol === 'http/json' ? new OTLPJsonTraceExporter(config) : new OTLPProtoTraceExporter(config);
}

/** A span processor for the provider: counts what it hands on, and what never reaches the collector. */
export class CountedSpanPipeline implements SpanProcessor {
  readonly stats: SpanDeliveryStats = { exported: 0, dropped: 0, lastError: null };
  private readonly batch: BatchSpanProcessor;
  /** Spans in the batch queue: the batch processor drops a span that finds it full, and so counts it here. */
  private queued = 0;

  constructor(private readonly options: SpanPipelineOptions) {
    const exporter = otlpSpanExporter(options.target, options.exportTimeoutMs);
    this.batch = new BatchSpanProcessor(this.counting(exporter), {
      maxQueueSize: options.maxQueueSize,
      maxExportBatchSize: Math.min(512, options.maxQueueSize),
      scheduledDelayMillis: options.scheduledDelayMs,
      exportTimeoutMillis: options.exportTimeoutMs,
    });
  }

  onStart(span: Span, parentContext: Context): void {
    this.batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & 1) === 0) return;
    if (this.queued >= this.options.maxQueueSize) this.drop(1, `the export queue is full (${this.options.maxQueueSize} spans)`);
    else this.queued += 1;
    this.batch.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.batch.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.batch.shutdown();
  }

  private counting(exporter: SpanExporter): SpanExporter {
    return {
      export: (spans, done) => {
        this.queued = Math.max(0, this.queued - spans.length);
        exporter.export(spans, (result: ExportResult) => {
          if (result.code === ExportResultCode.SUCCESS) this.stats.exported += spans.length;
          else this.drop(spans.length, `export to ${this.options.target.url} failed: ${result.error?.message ?? 'unknown error'}`);
          done(result);
        });
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
  }

  private drop(count: number, reason: string): void {
    this.stats.dropped += count;
    this.stats.lastError = reason;
    this.options.onDropped(this.stats, reason);
  }
}
