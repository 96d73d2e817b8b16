import { useMemo, useState } from 'react';
import { addStep } from '../../../shared/flow';
import { layoutDirection, setNodePosition } from '../../../shared/flow/layout';
import { freeNodeId, insertStep } from '../canvas/canvas-edits';
import { placeNewNode } from '../canvas/free-space';
import { paletteItems, searchPalette, type PaletteItem } from '../catalog/palette-items';
import { useCatalogComponents } from '../catalog/use-components';
import { useActiveDocument, useEditor } from '../store/editor-store';
import { writePaletteDrag } from './palette-drag';
import { RegistryAdd } from './RegistryAdd';

/** Built-in operations and project components: drag onto the canvas (or an edge), or add after the selected node. */
export function Palette() {
  const components = useCatalogComponents();
  const [query, setQuery] = useState('');
  const items = useMemo(() => paletteItems(components), [components]);
  const shown = useMemo(() => searchPalette(items, query), [items, query]);
  const groups = (['Built-in', 'Components'] as const).map((group) => ({ group, items: shown.filter((item) => item.group === group) }));

  return (
    <section className="palette" aria-label="Palette">
      <input className="palette-search" type="search" placeholder="Search operations" aria-label="Search operations" value={query} onChange={(e) => setQuery(e.target.value)} />
      {groups.map(({ group, items: inGroup }) =>
        inGroup.length === 0 ? null : (
          <div key={group} className="palette-group">
            <h3>{group}</h3>
            <ul>
              {inGroup.map((item) => (
                <PaletteEntry key={item.key} item={item} />
              ))}
            </ul>
          </div>
        ),
      )}
      {shown.length === 0 && <p className="muted">Nothing matches “{query}”.</p>}
      <RegistryAdd />
    </section>
  );
}

function PaletteEntry({ item }: { item: PaletteItem }) {
  const doc = useActiveDocument();
  const edit = useEditor((state) => state.edit);
  const selection = useEditor((state) => state.selection);

  function add() {
    const ir = doc?.model?.ir ?? null;
    const id = freeNodeId(ir, item.opKey);
    const after = selection.length === 1 ? selection[0] : undefined;
    const layout = doc?.history.present.layout;
    const graph = doc?.model?.graph;
    const at = layout && graph ? placeNewNode(graph, { ...doc.autoPositions, ...layout.nodes }, layoutDirection(layout), { after: after ?? null }) : null;
    edit(after ? (text) => addStep(text, { after, id, opKey: item.opKey, payload: item.payload }) : insertStep(id, item.opKey, item.payload, null), {
      layout: (current) => (at ? setNodePosition(current, id, at) : current),
      select: [id],
    });
  }

  return (
    <li
      className="palette-item"
      draggable
      data-testid="palette-item"
      data-op-key={item.opKey}
      title={item.detail}
      onDragStart={(event) => writePaletteDrag(event.dataTransfer, { opKey: item.opKey, payload: item.payload })}
    >
      <span className="palette-title">{item.title}</span>
      <code className="palette-op">{item.opKey}</code>
      <button type="button" className="palette-add" aria-label={`Add ${item.title}`} disabled={!doc} onClick={add}>
        +
      </button>
    </li>
  );
}
