/** What the palette offers: the built-in operations and the project's components, searchable. */
import { BUILTIN_OPS } from './builtin-ops';
import type { CatalogComponent } from './components';
import { asFieldSchema, isObjectSchema } from './json-schema';

export interface PaletteItem {
  key: string;
  group: 'Built-in' | 'Components';
  title: string;
  opKey: string;
  detail: string;
  payload: unknown;
}

export function paletteItems(components: readonly CatalogComponent[]): PaletteItem[] {
  const builtins = BUILTIN_OPS.map(
    (op): PaletteItem => ({ key: `builtin:${op.opKey}`, group: 'Built-in', title: op.title, opKey: op.opKey, detail: op.description, payload: op.payload }),
  );
  const fromComponents = components.flatMap((component): PaletteItem[] => {
    const title = component.name ?? component.id;
    if (component.operations.length === 0) {
      return [{ key: `component:${component.id}`, group: 'Components', title, opKey: component.id, detail: component.id, payload: {} }];
    }
    return component.operations.map((operation) => ({
      key: `component:${component.id}:${operation.name}`,
      group: 'Components',
      title: `${title} · ${operation.name}`,
      opKey: 'component.exec',
      detail: `${component.id} ${operation.name}`,
      // An operation that takes one value (a text, a number) starts without one; the inspector asks for it.
      payload: { component: component.id, operation: operation.name, ...(takesOneValue(operation.inputSchema) ? {} : { input: {} }) },
    }));
  });
  return [...builtins, ...fromComponents];
}

export function searchPalette(items: readonly PaletteItem[], query: string): PaletteItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...items];
  return items.filter((item) => {
    const haystack = `${item.title} ${item.opKey} ${item.detail}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

function takesOneValue(inputSchema: unknown): boolean {
  const schema = asFieldSchema(inputSchema);
  return schema !== null && !isObjectSchema(schema);
}
