/** The contract's bundle methods: the studio's Bundle workspace checks a bundle with the studio's trust store. */
import { StudioError } from '../../shared/api';
import type { bundleMethods } from '../../shared/api/bundle';
import type { Handlers } from '../../shared/api/define';
import { studioTrustStore } from '../pack/service';
import { checkBundle } from './bundle-check';
import { BundleError } from './bundle-layout';

export function createBundleHandlers(options: { configDir: string }): Handlers<typeof bundleMethods> {
  const trust = studioTrustStore(options.configDir);
  return {
    async inspectBundle({ path }) {
      try {
        return (await checkBundle(path, { trustedKeys: await trust.publicKeys() })).report;
      } catch (error) {
        if (error instanceof BundleError) throw new StudioError('not_found', error.message);
        throw error;
      }
    },
  };
}
