import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PackError } from '../errors';

/**
 * Reading a pack project's files safely: every path stays inside the project (upstream's
 * `path_safety`), symlinks are not followed, and sizes are bounded before reading.
 */
export class ProjectFiles {
  constructor(
    readonly root: string,
    private readonly maxFileBytes: number,
  ) {}

  /** Resolves a project-relative path; `..`, absolute paths and escapes are refused. */
  resolve(relative: string, what: string): string {
    const normalized = relative.replace(/^file:\/\//, '');
    const target = path.resolve(this.root, normalized);
    const inside = path.relative(this.root, target);
    if (path.isAbsolute(normalized) || inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
      throw new PackError('config_invalid', `${what} "${relative}" must be a path inside the pack folder`, relative);
    }
    return target;
  }

  async read(absolute: string, what: string): Promise<Uint8Array> {
    const stat = await this.stat(absolute);
    if (!stat?.isFile()) throw new PackError(stat ? 'config_invalid' : 'component_missing', `${what} not found: ${this.display(absolute)}`, this.display(absolute));
    if (stat.size > this.maxFileBytes) {
      throw new PackError('entry_too_large', `${what} ${this.display(absolute)} is ${stat.size} bytes; at most ${this.maxFileBytes} fit in a pack entry`, this.display(absolute));
    }
    return fs.readFile(absolute);
  }

  async readText(absolute: string, what: string): Promise<string> {
    return new TextDecoder().decode(await this.read(absolute, what));
  }

  async stat(absolute: string) {
    return fs.lstat(absolute).catch(() => null);
  }

  /** Regular files under `dir` (relative to it, `/`-separated), skipping dot-files and symlinks. */
  async walk(dir: string): Promise<string[]> {
    const found: string[] = [];
    const visit = async (current: string, prefix: string): Promise<void> => {
      const entries = await fs.readdir(current, { withFileTypes: true });
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await visit(path.join(current, entry.name), relative);
        else if (entry.isFile()) found.push(relative);
      }
    };
    await visit(dir, '');
    return found;
  }

  display(absolute: string): string {
    return path.relative(this.root, absolute).split(path.sep).join('/');
  }
}
