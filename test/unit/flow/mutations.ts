/** Random mutations of flow texts for the fuzz and incremental-parse tests: byte-level noise and structural rewrites. */
import { parse as parseYaml, stringify } from 'yaml';

const YAML_NOISE = [':', '- ', '{', '}', '[', ']', '"', "'", '&a ', '*a', '!!str ', '#', '|', '>', '\n', '  ', '\t', '?', ',', '%', '@', '`', 'é', '\u0000', '\ufeff', '<<: *a', '---\n', '...'];

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

export function mutateBytes(text: string, rand: () => number): string {
  const at = Math.floor(rand() * (text.length + 1));
  const lines = text.split('\n');
  switch (Math.floor(rand() * 6)) {
    case 0:
      return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rand() * 12)));
    case 1:
      return text.slice(0, at) + pick(rand, YAML_NOISE) + text.slice(at);
    case 2: {
      const i = Math.floor(rand() * lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 3: {
      const i = Math.floor(rand() * lines.length);
      const j = Math.floor(rand() * lines.length);
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      return lines.join('\n');
    }
    case 4: {
      const i = Math.floor(rand() * lines.length);
      lines[i] = rand() < 0.5 ? `  ${lines[i] ?? ''}` : (lines[i] ?? '').replace(/^ {1,2}/, '');
      return lines.join('\n');
    }
    default:
      return text.slice(0, at);
  }
}

const ODD_VALUES: unknown[] = [null, 0, -1, 2.5, true, '', 'out', 'reply', 'sideways', [], {}, [null], { to: 'nowhere' }, [{ to: 'out' }], 'parameters.ghost', '{{ flow.x }}'];

export function mutateStructure(text: string, rand: () => number): string {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch {
    return text;
  }
  const paths: Array<Array<string | number>> = [];
  const walk = (node: unknown, path: Array<string | number>) => {
    paths.push(path);
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  walk(value, []);
  const path = pick(rand, paths);
  const replacement = rand() < 0.2 ? pick(rand, paths.map(() => 'node')) : pick(rand, ODD_VALUES);
  if (path.length === 0) return stringify(replacement);
  let parent = value as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (rand() < 0.3 && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
  return stringify(value);
}
