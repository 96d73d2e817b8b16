/** How the canvas draws a step: by the family of its op key. */
export type StepKind = 'emit' | 'wait' | 'flow' | 'mcp' | 'template' | 'qa' | 'state' | 'component';

export function stepKind(opKey: string | null): StepKind {
  if (!opKey) return 'component';
  if (opKey.startsWith('emit.')) return 'emit';
  if (opKey === 'session.wait') return 'wait';
  if (opKey === 'flow.call' || opKey === 'flow.goto') return 'flow';
  if (opKey === 'mcp' || opKey.startsWith('mcp.')) return 'mcp';
  if (opKey === 'qa.process' || opKey === 'questions') return 'qa';
  if (opKey === 'state.get' || opKey === 'state.set' || opKey === 'var.set') return 'state';
  if (opKey.startsWith('templating.') || opKey === 'template') return 'template';
  return 'component';
}
