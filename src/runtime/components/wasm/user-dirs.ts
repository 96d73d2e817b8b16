import os from 'node:os';
import path from 'node:path';

/**
 * The user's cache folder for the studio: `$GREENTIC_STUDIO_CACHE_DIR` when set, else the platform's
 * convention (XDG on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.GREENTIC_STUDIO_CACHE_DIR) return env.GREENTIC_STUDIO_CACHE_DIR;
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'greentic-studio');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'greentic-studio', 'Cache');
  return path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'greentic-studio');
}

/**
 * The file of the dev secrets store: `$GREENTIC_STUDIO_SECRETS_FILE` when set, else `dev-secrets.json`
 * in the platform's per-user config folder.
 */
export function defaultSecretsFile(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.GREENTIC_STUDIO_SECRETS_FILE) return env.GREENTIC_STUDIO_SECRETS_FILE;
  const home = os.homedir();
  let dir: string;
  if (platform === 'darwin') dir = path.join(home, 'Library', 'Application Support', 'greentic-studio');
  else if (platform === 'win32') dir = path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'greentic-studio');
  else dir = path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'greentic-studio');
  return path.join(dir, 'dev-secrets.json');
}
