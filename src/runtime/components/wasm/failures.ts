import type { NodeError } from '../host';
import { WasmComponentError } from './errors';

/** The node-error codes the runner itself produces when a component cannot finish a call. */
export const RUNNER_ERROR_CODES = {
  unavailable: 'component_unavailable',
  trap: 'component_trap',
  memory: 'component_memory_limit',
  timeout: 'component_timeout',
  crashed: 'component_crashed',
  exited: 'component_exited',
  cancelled: 'component_cancelled',
} as const;

export function runnerError(code: (typeof RUNNER_ERROR_CODES)[keyof typeof RUNNER_ERROR_CODES], message: string, retryable = false): NodeError {
  return { code, message, retryable };
}

/**
 * Turns whatever a component call threw into a node-error that routes like any component error.
 * `atMemoryLimit` tells a trap caused by a refused memory.grow from any other trap.
 */
export function classifyFailure(error: unknown, atMemoryLimit: boolean, limitBytes: number): NodeError {
  if (error instanceof WasmComponentError) return runnerError(RUNNER_ERROR_CODES.unavailable, error.message);
  if (error instanceof WebAssembly.RuntimeError || error instanceof RangeError) {
    if (atMemoryLimit) {
      return runnerError(RUNNER_ERROR_CODES.memory, `the component ran out of memory at its limit of ${Math.round(limitBytes / 1048576)} MB (${error.message})`);
    }
    return runnerError(RUNNER_ERROR_CODES.trap, `the component trapped: ${error.message}`);
  }
  if (isExit(error)) return runnerError(RUNNER_ERROR_CODES.exited, `the component called exit with code ${error.code}`);
  const message = error instanceof Error ? error.message : String(error);
  return runnerError(RUNNER_ERROR_CODES.trap, `the component failed: ${message}`);
}

function isExit(error: unknown): error is { code: number } {
  return typeof error === 'object' && error !== null && (error as { exitError?: unknown }).exitError === true;
}
