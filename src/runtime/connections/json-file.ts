import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../shared/api';
import { writeFileAtomic } from '../fs/atomic';

/** The parsed JSON of a settings file, or undefined when there is none; too large or broken is an `io_error`. */
export async function readJsonFile(file: string, maxBytes: number, what: string): Promise<unknown> {
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (stat.size > maxBytes) throw new StudioError('io_error', `${what} ${file} is larger than ${maxBytes} bytes`);
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw StudioError.from(error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new StudioError('io_error', `${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Writes a settings file readable by its owner only, atomically. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, 0o600);
}

/** Runs async operations one after another, so read-modify-write sequences never interleave. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
