import type { RegistryCredentials } from './auth';

/**
 * Registry credentials from the environment: `GREENTIC_REGISTRY_TOKEN` (a bearer token sent as is),
 * else `GREENTIC_REGISTRY_USERNAME` with `GREENTIC_REGISTRY_PASSWORD`; null for anonymous access.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): RegistryCredentials | null {
  if (env.GREENTIC_REGISTRY_TOKEN) return { token: env.GREENTIC_REGISTRY_TOKEN };
  if (env.GREENTIC_REGISTRY_USERNAME !== undefined && env.GREENTIC_REGISTRY_PASSWORD !== undefined) {
    return { username: env.GREENTIC_REGISTRY_USERNAME, password: env.GREENTIC_REGISTRY_PASSWORD };
  }
  return null;
}

/** `name:password` as a `--user` option gives it. */
export function parseUserOption(text: string): RegistryCredentials {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new Error(`--user must be <name>:<password>, got '${text.replace(/:.*/, ':…')}'`);
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}
