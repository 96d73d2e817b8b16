/** Bounded, path-safe text files inside a project folder: card assets, pin sidecars, transcripts. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../shared/api';
import { writeFileAtomic } from '../fs/atomic';
import { resolveInside } from '../project/paths';

const MAX_TEXT_BYTES = 4 * 1024 * 1024;

/** The project's own text files as the chat uses them (card assets, pin sidecars, transcripts). */
export interface ChatFiles {
  readonly root: string;
  /** The file's text, or null when it does not exist. */
  readOptional(relative: string): Promise<string | null>;
  readText(relative: string): Promise<string>;
  write(relative: string, text: string): Promise<void>;
  remove(relative: string): Promise<void>;
}

export class ProjectFiles implements ChatFiles {
  constructor(readonly root: string) {}

  /** The file's text, or null when it does not exist. */
  async readOptional(relative: string): Promise<string | null> {
    const absolute = resolveInside(this.root, relative);
    const stat = await fs.stat(absolute).catch(() => null);
    if (!stat) return null;
    if (!stat.isFile()) throw new StudioError('bad_request', `not a file: ${relative}`);
    if (stat.size > MAX_TEXT_BYTES) throw new StudioError('bad_request', `file is larger than ${MAX_TEXT_BYTES} bytes: ${relative}`);
    return fs.readFile(absolute, 'utf8');
  }

  async readText(relative: string): Promise<string> {
    const text = await this.readOptional(relative);
    if (text === null) throw new StudioError('not_found', `file not found: ${relative}`);
    return text;
  }

  async write(relative: string, text: string): Promise<void> {
    const absolute = resolveInside(this.root, relative);
    await fs.mkdir(path.dirname(absolute), { recursive: true });
    await writeFileAtomic(absolute, text);
  }

  async remove(relative: string): Promise<void> {
    await fs.rm(resolveInside(this.root, relative), { force: true });
  }
}
