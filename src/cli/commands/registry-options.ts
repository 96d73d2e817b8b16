import { credentialsFromEnv, parseUserOption } from '../../runtime/pack/registry/credentials';
import type { RegistryCredentials } from '../../runtime/pack/registry/auth';
import { RegistryError } from '../../runtime/pack/registry/errors';
import { CliExit, EXIT_FAILED, usageError } from '../command';

export interface RegistryUserOption {
  user?: string;
}

/** `--user name:password`, else the environment's registry credentials, else anonymous. */
export function registryCredentials(options: RegistryUserOption): RegistryCredentials | null {
  if (!options.user) return credentialsFromEnv();
  try {
    return parseUserOption(options.user);
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

/** Runs a registry operation; a bad reference is a usage error, every other registry problem exits 1 with its message. */
export async function registryStep<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RegistryError) {
      if (error.code === 'invalid_reference') throw usageError(error.message);
      throw new CliExit(EXIT_FAILED, `${error.code}: ${error.message}`);
    }
    throw error;
  }
}
