/** Taking the user from a problem to where it is: its flow, its node on the canvas, its YAML line. */
import type { Diagnostic, FlowIr } from '../../../shared/flow';
import { runCommand } from '../commands/registry';
import { useEditor } from '../store/editor-store';

/** The node a diagnostic is about: from its JSON pointer, else the node whose text holds it. */
export function nodeOf(diagnostic: Diagnostic, ir: FlowIr | null): string | null {
  const [root, id] = (diagnostic.pointer ?? '').split('/').slice(1);
  if (root === 'nodes' && id !== undefined) return id.replace(/~1/g, '/').replace(/~0/g, '~');
  if (!ir || diagnostic.file) return null;
  const offset = diagnostic.range.offset;
  return ir.nodes.find((node) => offset >= node.idRange.offset && offset < node.range.endOffset)?.id ?? null;
}

/** Opens the flow and selects the problem's node (centred on the canvas when it is shown). */
export async function revealNode(path: string, diagnostic: Diagnostic): Promise<void> {
  await useEditor.getState().open(path);
  const ir = useEditor.getState().docs[path]?.model?.ir ?? null;
  const id = nodeOf(diagnostic, ir);
  if (!id || !ir?.nodes.some((node) => node.id === id)) return;
  useEditor.getState().select([id]);
  await afterRender();
  runCommand('revealNode', id);
}

/** Opens the flow with the YAML view beside the canvas and puts the cursor on the problem's line. */
export async function revealLine(path: string, diagnostic: Diagnostic): Promise<void> {
  const editor = useEditor.getState();
  await editor.open(path);
  if (editor.view === 'canvas') editor.setView('split');
  // The YAML view loads on first use; wait for it to show this flow.
  for (let attempt = 0; attempt < 300; attempt += 1) {
    await afterRender();
    const view = document.querySelector('[data-testid="yaml-view"]');
    if (view?.getAttribute('data-path') === path && runCommand('focusYaml', `${diagnostic.range.line}:${diagnostic.range.col}`)) return;
  }
}

function afterRender(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}
