/**
 * One recorded turn as an OTLP/JSON document: its trace events replayed through the same span
 * mapping the live export uses, into memory, and serialised by the SDK's OTLP JSON serialiser.
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { StudioError } from '../../shared/api';
import type { OtlpTraceDocument } from '../../shared/api/telemetry';
import type { TraceEvent } from '../../shared/api/trace';
import { TurnSpans, type TurnScope } from './turn-spans';

export async function turnDocument(events: readonly TraceEvent[], turnId: string, scope: TurnScope, serviceName: string): Promise<OtlpTraceDocument> {
  const turn = events.filter((event) => event.turnId === turnId);
  if (!turn.some((event) => event.type === 'turn_start')) throw new StudioError('not_found', `no trace of turn ${turnId} is kept for this conversation`);
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const spans = new TurnSpans(provider.getTracer('greentic-studio'), { scope, parent: ROOT_CONTEXT });
  for (const event of turn) spans.observe(event);
  if (!turn.some((event) => event.type === 'turn_end')) {
    throw new StudioError('conflict', `turn ${turnId} is still running: save it once it has ended`);
  }
  await provider.forceFlush();
  const bytes = JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans());
  await provider.shutdown();
  if (!bytes) throw new StudioError('internal', 'the turn could not be written as OTLP JSON');
  return JSON.parse(new TextDecoder().decode(bytes)) as OtlpTraceDocument;
}
