import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The studio's own settings of a project, in `.greentic-studio/settings.json`: beside `pack.yaml`, not
 * in it, because pack.yaml is upstream's format (its fields become the pack manifest), and a dot-folder
 * stays out of every pack (packc skips dot-directories; so does our builder). Only `http.allow` today:
 * the hosts WASM components of this project may reach, on top of their declared `host:http` capability
 * (components.md §5: a per-workspace allow-list).
 */
export const STUDIO_SETTINGS_FILE = path.join('.greentic-studio', 'settings.json');

const MAX_SETTINGS_BYTES = 256 * 1024;

/** `example.com`, `*.example.com`, either with `:port`, or `*` for any host. */
const HOST_RULE = /^(?:\*|(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?)$/i;

const settingsSchema = z.looseObject({
  http: z
    .looseObject({
      allow: z
        .array(z.string().regex(HOST_RULE, 'a host rule is example.com, *.example.com, host:port or *'))
        .max(1000)
        .default([]),
    })
    .optional(),
});

export type ProjectSettings = z.infer<typeof settingsSchema>;

/** A settings file that cannot be used: the message names the file and what is wrong. */
export class ProjectSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectSettingsError';
  }
}

/** Parses the settings text; throws ProjectSettingsError naming the field at fault. */
export function parseProjectSettings(text: string, origin = STUDIO_SETTINGS_FILE): ProjectSettings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProjectSettingsError(`${origin} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = settingsSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`);
    throw new ProjectSettingsError(`${origin}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * The HTTP allow-list of whichever project is open, read again only when the file changed (one stat
 * per request otherwise). No project, or no settings file, allows nothing.
 */
export function projectHttpAllowList(projectRoot: () => Promise<string | null>): () => Promise<readonly string[]> {
  let cached: { file: string; stamp: string; allow: readonly string[] } | null = null;
  return async () => {
    const root = await projectRoot();
    if (!root) return [];
    const file = path.join(root, STUDIO_SETTINGS_FILE);
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile()) return [];
    const stamp = `${stat.mtimeMs}:${stat.size}`;
    if (cached?.file === file && cached.stamp === stamp) return cached.allow;
    if (stat.size > MAX_SETTINGS_BYTES) throw new ProjectSettingsError(`${STUDIO_SETTINGS_FILE} is larger than ${MAX_SETTINGS_BYTES} bytes`);
    const allow = parseProjectSettings(await fs.readFile(file, 'utf8')).http?.allow ?? [];
    cached = { file, stamp, allow };
    return allow;
  };
}
