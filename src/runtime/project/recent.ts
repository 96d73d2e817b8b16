/** The projects opened lately, newest first, kept in one small JSON file of the config folder. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecentProject } from '../../shared/api';
import { writeFileAtomic } from '../fs/atomic';

const MAX_RECENT = 12;

const recentFile = z.array(z.object({ root: z.string(), name: z.string(), openedAt: z.string() }));

export class RecentProjects {
  constructor(private readonly file: string | null) {}

  /** Newest first, each project once: entries naming one folder by different paths (links, `..`) count as one. */
  async list(): Promise<RecentProject[]> {
    return (await uniqueByFolder(await this.read())).slice(0, MAX_RECENT);
  }

  async remember(root: string, name: string, now = new Date()): Promise<void> {
    if (!this.file) return;
    const folder = await realFolder(root);
    const others: RecentProject[] = [];
    for (const entry of await this.read()) if ((await realFolder(entry.root)) !== folder) others.push(entry);
    const next = (await uniqueByFolder([{ root, name, openedAt: now.toISOString() }, ...others])).slice(0, MAX_RECENT);
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
  }

  private async read(): Promise<RecentProject[]> {
    if (!this.file) return [];
    const text = await fs.readFile(this.file, 'utf8').catch(() => null);
    if (text === null) return [];
    try {
      const parsed = recentFile.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }
}

/** The folder a path names once links are followed; the path itself when it no longer exists. */
async function realFolder(root: string): Promise<string> {
  return fs.realpath(root).catch(() => path.resolve(root));
}

async function uniqueByFolder(entries: RecentProject[]): Promise<RecentProject[]> {
  const seen = new Set<string>();
  const unique: RecentProject[] = [];
  for (const entry of entries) {
    const folder = await realFolder(entry.root);
    if (seen.has(folder)) continue;
    seen.add(folder);
    unique.push(entry);
  }
  return unique;
}
