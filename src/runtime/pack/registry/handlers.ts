import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isScalar, isSeq, parseDocument } from 'yaml';
import { StudioError, type StudioErrorCode } from '../../../shared/api';
import type { Handlers } from '../../../shared/api/define';
import type { registryMethods } from '../../../shared/api/registry';
import type { EventBus } from '../../events';
import { writeFileAtomic } from '../../fs/atomic';
import { listComponents, readPackYaml } from '../../project/components';
import type { RegistryCredentials } from './auth';
import { RegistryError, type RegistryErrorCode } from './errors';
import { pullComponent } from './pull-component';
import { pushPack } from './push';
import { resolvePack, ResolveError } from './resolve';

export interface RegistryHandlerDeps {
  events: EventBus;
  projectRoot: () => Promise<string>;
  /** The lock changed: the runner should look at the project's components again. */
  componentsChanged: () => Promise<void>;
}

const STUDIO_CODE: Record<RegistryErrorCode, StudioErrorCode> = {
  invalid_reference: 'bad_request',
  unreachable: 'unavailable',
  unauthorized: 'forbidden',
  not_found: 'not_found',
  digest_mismatch: 'invalid_pack',
  not_a_component: 'invalid_pack',
  too_large: 'invalid_pack',
  protocol: 'unavailable',
};

/** The registry part of the contract: adding a component by reference, publishing a pack. */
export function createRegistryHandlers(deps: RegistryHandlerDeps): Handlers<typeof registryMethods> {
  return {
    async addRegistryComponent({ ref, username, password }) {
      const root = await deps.projectRoot();
      const credentials = credentialsOf(username, password);
      const pulled = await asStudioError(() =>
        pullComponent(ref, {
          credentials,
          onProgress: (p) => deps.events.emit('progress', { task: 'registry.pull', done: p.received ?? (p.phase === 'done' || p.phase === 'cached' ? 1 : 0), total: p.total ?? (p.phase === 'done' || p.phase === 'cached' ? 1 : 0), label: `${p.phase} ${ref}` }),
        }),
      );
      await addComponentRef(root, ref);
      await asStudioError(() => resolvePack(root, { credentials }));
      await deps.componentsChanged();
      const packText = await fs.readFile(path.join(root, 'pack.yaml'), 'utf8').catch(() => null);
      const component = (await listComponents(root, readPackYaml(packText))).find((entry) => entry.id === pulled.componentId);
      if (!component) throw new StudioError('internal', `${pulled.componentId} was pulled and locked but is not listed`);
      return { component, digest: pulled.digest, pinned: pulled.pinned };
    },
    async publishPack({ path: file, ref, username, password }) {
      const bytes = await fs.readFile(file).catch(() => {
        throw new StudioError('not_found', `cannot read ${file}`);
      });
      deps.events.emit('progress', { task: 'registry.push', done: 0, total: bytes.byteLength, label: `pushing to ${ref}` });
      const pushed = await asStudioError(() => pushPack(ref, new Uint8Array(bytes), path.basename(file), { credentials: credentialsOf(username, password) }));
      deps.events.emit('progress', { task: 'registry.push', done: bytes.byteLength, total: bytes.byteLength, label: `pushed ${pushed.pinned}` });
      return pushed;
    },
  };
}

function credentialsOf(username: string | undefined, password: string | undefined): RegistryCredentials | null {
  if (username !== undefined) return { username, password: password ?? '' };
  if (password) return { token: password };
  return null;
}

async function asStudioError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RegistryError) throw new StudioError(STUDIO_CODE[error.code], error.message, { reason: error.code });
    if (error instanceof ResolveError) throw new StudioError('invalid_pack', error.message, { reason: 'resolve_failed' });
    throw error;
  }
}

/**
 * Adds `ref` to pack.yaml's components extension (`{kind: greentic.components, version, inline: {refs}}`,
 * as greentic-pack validates it), keeping the rest of the file as it is.
 */
async function addComponentRef(root: string, ref: string): Promise<void> {
  const file = path.join(root, 'pack.yaml');
  const text = await fs.readFile(file, 'utf8').catch(() => {
    throw new StudioError('bad_request', 'the project has no pack.yaml: registry components are pinned in a pack project');
  });
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new StudioError('bad_request', `pack.yaml is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const key = ['extensions', 'greentic.components'];
  const refs = doc.getIn([...key, 'inline', 'refs'], true);
  if (isSeq(refs)) {
    if (refs.items.some((item) => (isScalar(item) ? item.value : item) === ref)) return;
    refs.add(ref);
  } else {
    doc.setIn(key, { kind: 'greentic.components', version: 'v1', inline: { refs: [ref] } });
  }
  await writeFileAtomic(file, doc.toString());
}
