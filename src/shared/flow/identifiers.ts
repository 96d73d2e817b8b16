/** Identifier rules of the runtime types (flow-format §5). */

const RUNTIME_ID = /^[A-Za-z0-9._-]+$/;
/** The intersection of the schema's and the runtime's node-id rules: what the editor creates. */
export const NEW_NODE_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Why `value` is not a valid runtime identifier, or null when it is. */
export function identifierProblem(label: string, value: string): string | null {
  if (value.length === 0) return `${label} must not be empty`;
  if (!RUNTIME_ID.test(value)) return `${label} must contain only ASCII letters, digits, '.', '-', or '_'`;
  return null;
}

/**
 * The longest node id the studio writes or accepts without a warning. Upstream sets no limit; past
 * this an id no longer fits on a node card, in the inspector or in a trace line.
 */
export const MAX_NODE_ID_LENGTH = 64;
