/**
 * Pinned outputs: what a node returns in the studio instead of running (for components that cannot
 * run locally). Stored per flow in the sidecar `<flow>.ygtc.pins.json`, never in the `.ygtc`.
 */
import path from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../shared/api';
import type { JsonValue } from '../../shared/flow/compiled';
import type { PinnedOutputs } from '../engine/engine';
import type { ChatFiles } from './project-files';

export const PINS_SUFFIX = '.pins.json';

const sidecarSchema = z.object({
  schema_version: z.literal(1),
  flow: z.string(),
  nodes: z.record(z.string(), z.object({ output: z.unknown() })),
});

export function pinsPathOf(flowPath: string): string {
  return `${flowPath}${PINS_SUFFIX}`;
}

export class PinStore {
  private readonly cache = new Map<string, Record<string, JsonValue>>();

  constructor(private readonly files: ChatFiles) {}

  /** The pins of one flow, by node id; a broken sidecar is reported, never silently ignored. */
  async forFlow(flowPath: string): Promise<Record<string, JsonValue>> {
    const cached = this.cache.get(flowPath);
    if (cached) return cached;
    const text = await this.files.readOptional(pinsPathOf(flowPath));
    const pins: Record<string, JsonValue> = {};
    if (text !== null) {
      let parsed: z.infer<typeof sidecarSchema>;
      try {
        parsed = sidecarSchema.parse(JSON.parse(text));
      } catch (error) {
        throw new StudioError('bad_request', `pinned outputs of ${flowPath} are unreadable (${pinsPathOf(flowPath)}): ${error instanceof Error ? error.message : String(error)}`);
      }
      for (const [nodeId, pin] of Object.entries(parsed.nodes)) pins[nodeId] = (pin.output ?? null) as JsonValue;
    }
    this.cache.set(flowPath, pins);
    return pins;
  }

  async set(flowPath: string, nodeId: string, output: JsonValue): Promise<Record<string, JsonValue>> {
    const pins = { ...(await this.forFlow(flowPath)), [nodeId]: output };
    await this.write(flowPath, pins);
    return pins;
  }

  async clear(flowPath: string, nodeId: string): Promise<Record<string, JsonValue>> {
    const pins = { ...(await this.forFlow(flowPath)) };
    delete pins[nodeId];
    await this.write(flowPath, pins);
    return pins;
  }

  /** Drop cached sidecars (after files changed on disk). */
  invalidate(): void {
    this.cache.clear();
  }

  /** The engine's view: pins of several flows by flow id. */
  async board(flows: { path: string; flowId: string }[]): Promise<PinnedOutputs> {
    const byFlow = new Map<string, Record<string, JsonValue>>();
    for (const { path: flowPath, flowId } of flows) {
      const pins = await this.forFlow(flowPath);
      if (Object.keys(pins).length > 0) byFlow.set(flowId, pins);
    }
    return {
      get: (flowId, nodeId) => {
        const pins = byFlow.get(flowId);
        return pins && Object.prototype.hasOwnProperty.call(pins, nodeId) ? pins[nodeId] : undefined;
      },
    };
  }

  private async write(flowPath: string, pins: Record<string, JsonValue>): Promise<void> {
    const sidecar = pinsPathOf(flowPath);
    if (Object.keys(pins).length === 0) {
      await this.files.remove(sidecar);
    } else {
      const nodes = Object.fromEntries(Object.entries(pins).map(([id, output]) => [id, { output }]));
      const doc = { schema_version: 1, flow: path.posix.basename(flowPath), nodes };
      await this.files.write(sidecar, `${JSON.stringify(doc, null, 2)}\n`);
    }
    this.cache.set(flowPath, pins);
  }
}
