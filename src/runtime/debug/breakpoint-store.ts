/**
 * Breakpoints of the studio's flows, stored per flow in the sidecar `<flow>.ygtc.breakpoints.json`
 * beside the layout sidecar: never in the `.ygtc`, never in a pack, kept across restarts.
 *
 * ```json
 * { "schema_version": 1, "flow": "main.ygtc", "break_on_error": true,
 *   "breakpoints": { "greet": {}, "menu": { "condition": "response.action == \"help\"", "hit_count": 2, "enabled": false } } }
 * ```
 */
import path from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../shared/api';
import type { Breakpoint, FlowBreakpoints } from '../../shared/api/debug';
import type { ChatFiles } from '../chat/project-files';
import { checkCondition } from '../../shared/flow/condition';

export const BREAKPOINTS_SUFFIX = '.breakpoints.json';
const SCHEMA_VERSION = 1;

const sidecarSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  flow: z.string(),
  break_on_error: z.boolean().optional(),
  breakpoints: z.record(
    z.string().min(1),
    z
      .object({
        condition: z.string().min(1).optional(),
        hit_count: z.number().int().positive().optional(),
        enabled: z.boolean().optional(),
      })
      .strict(),
  ),
});

export function breakpointsPathOf(flowPath: string): string {
  return `${flowPath}${BREAKPOINTS_SUFFIX}`;
}

/** Refuses a condition that would not behave as written under the §5.3 grammar (it might never pause, silently). */
export function checkBreakpointCondition(condition: string, nodeId: string): void {
  const check = checkCondition(condition);
  if (!check.ok) {
    throw new StudioError(
      'bad_request',
      `the condition of the breakpoint on ${nodeId} is refused: ${check.reason}. Write \`path == value\` or \`path != value\`, for example \`entry.input.text == "hi"\``,
    );
  }
}

export class BreakpointStore {
  private readonly cache = new Map<string, FlowBreakpoints>();

  constructor(private readonly files: ChatFiles) {}

  async forFlow(flowPath: string): Promise<FlowBreakpoints> {
    const cached = this.cache.get(flowPath);
    if (cached) return cached;
    const file = breakpointsPathOf(flowPath);
    const text = await this.files.readOptional(file);
    let result: FlowBreakpoints = { flowPath, breakpoints: [], breakOnError: false };
    if (text !== null) {
      let parsed: z.infer<typeof sidecarSchema>;
      try {
        parsed = sidecarSchema.parse(JSON.parse(text));
      } catch (error) {
        throw new StudioError('bad_request', `breakpoints of ${flowPath} are unreadable (${file}): ${error instanceof Error ? error.message : String(error)}`);
      }
      result = {
        flowPath,
        breakOnError: parsed.break_on_error ?? false,
        breakpoints: Object.entries(parsed.breakpoints).map(([nodeId, b]) => ({
          nodeId,
          ...(b.condition !== undefined ? { condition: b.condition } : {}),
          ...(b.hit_count !== undefined ? { hitCount: b.hit_count } : {}),
          ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
        })),
      };
    }
    this.cache.set(flowPath, result);
    return result;
  }

  /** Replaces the flow's breakpoints (one per node: a later entry for the same node wins). */
  async set(flowPath: string, breakpoints: Breakpoint[], breakOnError: boolean): Promise<FlowBreakpoints> {
    for (const b of breakpoints) if (b.condition !== undefined) checkBreakpointCondition(b.condition, b.nodeId);
    const byNode = new Map(breakpoints.map((b) => [b.nodeId, b]));
    const result: FlowBreakpoints = { flowPath, breakpoints: [...byNode.values()].map(normalized), breakOnError };
    const file = breakpointsPathOf(flowPath);
    if (result.breakpoints.length === 0 && !breakOnError) {
      await this.files.remove(file);
    } else {
      const doc = {
        schema_version: SCHEMA_VERSION,
        flow: path.posix.basename(flowPath),
        ...(breakOnError ? { break_on_error: true } : {}),
        breakpoints: Object.fromEntries(
          result.breakpoints.map((b) => [
            b.nodeId,
            {
              ...(b.condition !== undefined ? { condition: b.condition } : {}),
              ...(b.hitCount !== undefined ? { hit_count: b.hitCount } : {}),
              ...(b.enabled === false ? { enabled: false } : {}),
            },
          ]),
        ),
      };
      await this.files.write(file, `${JSON.stringify(doc, null, 2)}\n`);
    }
    this.cache.set(flowPath, result);
    return result;
  }
}

function normalized(b: Breakpoint): Breakpoint {
  return {
    nodeId: b.nodeId,
    ...(b.condition !== undefined ? { condition: b.condition } : {}),
    ...(b.hitCount !== undefined ? { hitCount: b.hitCount } : {}),
    ...(b.enabled === false ? { enabled: false } : {}),
  };
}
