/** "New project": a copy of the sample project in a folder that is new or empty. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../shared/api';

export async function copyTemplate(template: string, target: string): Promise<string> {
  const root = path.resolve(target);
  const entries = await fs.readdir(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') throw new StudioError('conflict', `not a folder: ${target}`);
    throw new StudioError('io_error', `cannot read ${target}: ${error.message}`);
  });
  if (entries.length > 0) throw new StudioError('conflict', `the folder is not empty: ${target}`);
  await fs.mkdir(root, { recursive: true });
  await fs.cp(template, root, { recursive: true, errorOnExist: true, force: false });
  return root;
}
