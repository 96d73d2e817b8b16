import type { KnownComponent } from '../../shared/flow';
import { BUILTIN_COMPONENT_IDS } from '../components/builtin';
import { projectComponentEntries } from './components';

/** What `validate` checks steps against: the built-in components, the project's, and the registry components its lock pins. */
export async function knownComponents(root: string): Promise<KnownComponent[]> {
  const entries = await projectComponentEntries(root);
  return [
    ...[...BUILTIN_COMPONENT_IDS].map((id): KnownComponent => ({ id, origin: 'builtin' })),
    ...entries.map((entry): KnownComponent => ({
      id: entry.id,
      origin: entry.lockedRef ? 'lock' : 'project',
      ...(entry.configSchema !== undefined ? { configSchema: entry.configSchema } : {}),
    })),
  ];
}
