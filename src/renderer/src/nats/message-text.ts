import type { NatsTrafficMessage } from '../../../shared/api';

/** A traffic payload as JSON when it parses, else null (not JSON, or cut at the preview bound). */
export function payloadJson(message: NatsTrafficMessage): unknown {
  if (message.truncated) return null;
  try {
    return JSON.parse(message.payload) as unknown;
  } catch {
    return null;
  }
}

/**
 * One line saying what a message carries: the text of a gateway `ChannelMessage` or of a runner
 * `OutMessage`, "card" for a card reply, else the start of the payload.
 */
export function messageSummary(message: NatsTrafficMessage): string {
  const json = payloadJson(message);
  if (isRecord(json)) {
    if (isRecord(json.payload) && typeof json.payload.text === 'string') return json.payload.text || submitSummary(json.payload);
    if (json.kind === 'card') return '[card]';
    if (typeof json.text === 'string') return json.text;
  }
  return message.payload.slice(0, 120);
}

/** Ingress with no text is a card submit: its data travels as metadata. */
function submitSummary(payload: Record<string, unknown>): string {
  const metadata = isRecord(payload.metadata) ? payload.metadata : {};
  const data = Object.entries(metadata).filter(([key]) => key !== 'greentic_submit');
  return metadata.greentic_submit === 'true' ? `[submit] ${data.map(([key, value]) => `${key}: ${String(value)}`).join(', ')}` : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
