/** Components' `dev_flows` as the tests give them, in the shapes upstream's fixtures and generator write. */

/** The questions of greentic-flow's fixture manifest (`tests/fixtures/manifests/component.manifest.json`), placed by `writes_to`. */
export const CARD_QUESTIONS = [
  { id: 'asset_path', prompt: 'Asset path', type: 'string', writes_to: 'card_spec.asset_path' },
  { id: 'needs_interaction', prompt: 'Needs interaction?', type: 'bool', default: false, writes_to: 'interaction.enabled' },
];

/** A dev flow whose one node, `ask`, asks `fields`; `graph` adds the graph's other keys (id, type, start). */
export function askingDevFlow(fields: unknown[], graph: Record<string, unknown> = {}) {
  return { graph: { ...graph, nodes: { ask: { questions: { fields } } } } };
}
