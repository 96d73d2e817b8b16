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

  async list(): Promise<RecentProject[]> {
    if (!this.file) return [];
    const text = await fs.readFile(this.file, 'utf8').catch(() => null);
    if (text === null) return [];
    try {
      const parsed = recentFile.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data.slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }

  async remember(root: string, name: string, now = new Date()): Promise<void> {
    if (!this.file) return;
    const others = (await this.list()).filter((entry) => entry.root !== root);
    const next = [{ root, name, openedAt: now.toISOString() }, ...others].slice(0, MAX_RECENT);
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
  }
}
