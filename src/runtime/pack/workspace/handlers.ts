import path from 'node:path';
import { StudioError } from '../../../shared/api';
import type { Handlers } from '../../../shared/api/define';
import type { packMethods, packWorkspaceMethods } from '../../../shared/api/pack';
import { fingerprintOf, publicKeyToPem } from '../../keys/ed25519';
import { RecentProjects } from '../../project/recent';
import type { PackLimits } from '../limits';
import { openPack } from '../open';
import { guarded } from '../service';
import { readChainKey } from '../signing/certificate';
import { CHAIN_PEM_PATH } from '../signing/scheme-a';
import { readPackVersion, setPackVersion } from './pack-version';
import { unpackToProject } from './unpack';
import { PackUploads } from './uploads';

type PackHandlers = Handlers<typeof packMethods>;
type WorkspaceHandlers = Handlers<typeof packWorkspaceMethods>;

export interface PackWorkspaceDeps {
  /** The studio's settings folder: the recent packs are kept there. */
  configDir: string;
  /** The open project's folder, for the version methods without an explicit project. */
  projectRoot: () => Promise<string>;
  inspectPack: PackHandlers['inspectPack'];
  trustKey: PackHandlers['trustKey'];
  uploads?: PackUploads;
  limits?: Partial<PackLimits>;
}

const RECENT_PACKS_FILE = 'recent-packs.json';

/** The pack inspector's and export dialog's methods, built on the pack handlers they are composed with. */
export function createPackWorkspaceHandlers(deps: PackWorkspaceDeps): WorkspaceHandlers {
  // The same small most-recent-first list the projects use, in its own file.
  const recent = new RecentProjects(path.join(deps.configDir, RECENT_PACKS_FILE));
  const uploads = deps.uploads ?? new PackUploads();
  const handlers: WorkspaceHandlers = {
    async openPackFile({ path: file }) {
      const inspection = await deps.inspectPack({ path: file });
      await recent.remember(path.resolve(file), `${inspection.pack_id} ${inspection.version}`).catch(() => undefined);
      return inspection;
    },
    async recentPacks() {
      return (await recent.list()).map((entry) => ({ path: entry.root, name: entry.name, openedAt: entry.openedAt }));
    },
    async uploadPack(params) {
      return uploads.receive(params);
    },
    async trustPackSigner({ path: file, fingerprint, label }) {
      const pack = await openPack({ path: file }, deps.limits ? { limits: deps.limits } : {});
      const pem = pack.contents.retained.get(CHAIN_PEM_PATH);
      if (!pem) throw new StudioError('not_found', 'the pack has no signing certificate (signatures/chain.pem) to take a key from');
      const key = await readChainKey(new TextDecoder().decode(pem));
      if (fingerprintOf(key.publicKey) !== fingerprint) {
        throw new StudioError('conflict', `the pack's signing certificate holds the key ${fingerprintOf(key.publicKey)}, not ${fingerprint}`);
      }
      return deps.trustKey({ publicKeyPem: publicKeyToPem(key.publicKey), label });
    },
    async unpackPackToProject({ path: file, folder }) {
      return unpackToProject(file, folder, deps.limits);
    },
    async readPackVersion({ project }) {
      return readPackVersion(project ?? (await deps.projectRoot()));
    },
    async setPackVersion({ project, version, bump }) {
      const root = project ?? (await deps.projectRoot());
      if (version !== undefined) return setPackVersion(root, { version });
      if (bump !== undefined) return setPackVersion(root, { bump });
      throw new StudioError('bad_request', 'give either version or bump');
    },
  };
  return guarded(handlers);
}
