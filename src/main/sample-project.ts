import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The project the studio opens on first start: a copy of the bundled sample in the user's data folder,
 * so that edits never touch the installed application. An existing copy is left as the user left it.
 */
export async function ensureSampleProject(bundledSample: string, userDataDir: string): Promise<string> {
  const target = path.join(userDataDir, 'sample-project');
  const exists = await fs.stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) await fs.cp(bundledSample, target, { recursive: true, errorOnExist: false, force: false });
  return target;
}
