/**
 * Run trace: what the embedded runner did in each turn, node by node. The back end pushes every
 * event as it happens (event `trace`) and keeps a bounded history per conversation.
 */

/** Fields every trace event carries. */
interface TraceBase {
  /** Identifies the turn; every event of one turn shares it. */
  turnId: string;
  /** Milliseconds since the epoch. */
  at: number;
}

export type TraceEvent =
  | (TraceBase & { type: 'turn_start'; flowId: string; resumedAt?: string; input: unknown; attempt: number })
  | (TraceBase & {
      type: 'node_start';
      flowId: string;
      nodeId: string;
      /** The component or built-in that runs the node (`templating.handlebars`, `session.wait`, ...). */
      component: string;
      /** The node's input after templating (after a debugger edit, the edited input). */
      input: unknown;
      /** 1-based count of node executions in this attempt of the turn, called flows included. */
      step: number;
    })
  | (TraceBase & {
      type: 'node_end';
      flowId: string;
      nodeId: string;
      output: unknown;
      durationMs: number;
      /** True when the output is the designer's pinned output rather than a real run. */
      pinned: boolean;
    })
  | (TraceBase & {
      type: 'route';
      flowId: string;
      nodeId: string;
      /** `next`: on to `to`; `end`: the turn ends; `park`: waits here; `jump`: to `to` in `toFlow`; `error`: error route. */
      decision: 'next' | 'end' | 'park' | 'jump' | 'error';
      to?: string;
      toFlow?: string;
    })
  | (TraceBase & {
      type: 'wait';
      flowId: string;
      nodeId: string;
      /** The node the next message resumes at. */
      nextNode: string;
      reason: string;
      awaitingSubmit: boolean;
    })
  | (TraceBase & {
      type: 'node_log';
      flowId: string;
      nodeId: string;
      /** What the component wrote to stdout or stderr, logged through telemetry, or a note from the host. */
      source: 'stdout' | 'stderr' | 'telemetry' | 'host';
      text: string;
      /** The key-value fields of a telemetry log. */
      fields?: Array<[string, string]>;
    })
  | (TraceBase & {
      type: 'call_start';
      flowId: string;
      nodeId: string;
      /** The component the node calls (`templating`, `ai.greentic.x`, `oci://...`) and its operation. */
      componentId: string;
      operation: string;
    })
  | (TraceBase & {
      type: 'call_end';
      flowId: string;
      nodeId: string;
      durationMs: number;
      ok: boolean;
      error?: { code: string; message: string };
    })
  | (TraceBase & {
      type: 'node_error';
      flowId: string;
      nodeId: string;
      code: string;
      message: string;
      retryable: boolean;
      /** How long the node ran before it failed. */
      durationMs?: number;
    })
  | (TraceBase & {
      type: 'debug_edit';
      flowId: string;
      nodeId: string;
      /** What the designer changed in the debugger before the node ran. */
      edited: Array<'input' | 'state'>;
    })
  | (TraceBase & {
      type: 'debug_stop';
      flowId: string;
      nodeId: string;
      /** `stopped`: the designer pressed Stop; `timeout`: the turn stayed paused too long. */
      reason: 'stopped' | 'timeout';
      message: string;
    })
  | (TraceBase & {
      type: 'turn_end';
      status: 'completed' | 'waiting' | 'failed';
      durationMs: number;
      error?: { code: string; message: string; nodeId?: string };
    });

export type TraceEventType = TraceEvent['type'];
