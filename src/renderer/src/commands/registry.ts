/**
 * Commands that views register while mounted (the canvas registers fit, layout, delete, ...) so that
 * keyboard shortcuts and toolbar buttons reach them without knowing which view is open.
 */
export type CommandName =
  | 'fitView'
  | 'autoLayout'
  | 'deleteSelection'
  | 'selectAll'
  | 'duplicate'
  | 'alignLeft'
  | 'alignTop'
  | 'revealNode'
  | 'renameNode'
  | 'focusYaml'
  | 'promptOpenFolder'
  | 'promptNewProject';

type Handler = (argument?: string) => void;

const handlers = new Map<CommandName, Handler>();

/** Registers a handler; the returned function unregisters it (only if it is still the one registered). */
export function registerCommand(name: CommandName, handler: Handler): () => void {
  handlers.set(name, handler);
  return () => {
    if (handlers.get(name) === handler) handlers.delete(name);
  };
}

/** Runs a command; false when no view offers it right now. */
export function runCommand(name: CommandName, argument?: string): boolean {
  const handler = handlers.get(name);
  if (!handler) return false;
  handler(argument);
  return true;
}
