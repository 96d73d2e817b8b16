/**
 * Flow files with their sidecars: a flow moves, copies and disappears together with
 * `<flow>.layout.json`, `<flow>.breakpoints.json`, `<flow>.resolve.json` and `<flow>.resolve.summary.json`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../shared/api';
import { createFlow, setFlowField } from '../../shared/flow';
import { layoutPathFor } from '../../shared/flow/layout';
import { writeFileAtomic } from '../fs/atomic';

export const SIDECAR_SUFFIXES = ['.layout.json', '.breakpoints.json', '.resolve.json', '.resolve.summary.json'] as const;

export async function exists(absolute: string): Promise<boolean> {
  return fs.stat(absolute).then(
    () => true,
    () => false,
  );
}

async function refuseExisting(absolute: string, shown: string): Promise<void> {
  if (await exists(absolute)) throw new StudioError('conflict', `a file already exists at ${shown}`);
}

export async function writeNewFlow(absolute: string, shown: string, options: { id: string; type: string; title?: string }): Promise<string> {
  await refuseExisting(absolute, shown);
  const text = createFlow(options);
  await fs.mkdir(path.dirname(absolute), { recursive: true });
  await writeFileAtomic(absolute, text);
  return text;
}

export async function moveFlow(from: string, to: string, shownTo: string): Promise<void> {
  if (!(await exists(from))) throw new StudioError('not_found', `flow not found: ${path.basename(from)}`);
  await refuseExisting(to, shownTo);
  await fs.mkdir(path.dirname(to), { recursive: true });
  await fs.rename(from, to);
  for (const suffix of SIDECAR_SUFFIXES) {
    if (await exists(from + suffix)) await fs.rename(from + suffix, to + suffix);
  }
}

/** Copies a flow under a new id (the target file's base name) with its layout; resolve data stays with the original. */
export async function copyFlow(from: string, to: string, shownTo: string): Promise<string> {
  const original = await fs.readFile(from, 'utf8').catch(() => {
    throw new StudioError('not_found', `flow not found: ${path.basename(from)}`);
  });
  await refuseExisting(to, shownTo);
  const renamed = setFlowField(original, 'id', flowIdFromFile(to));
  const text = renamed.ok ? renamed.text : original;
  await fs.mkdir(path.dirname(to), { recursive: true });
  await writeFileAtomic(to, text);
  const layout = await fs.readFile(layoutPathFor(from), 'utf8').catch(() => null);
  if (layout !== null) await writeFileAtomic(layoutPathFor(to), layout);
  return text;
}

export async function removeFlow(absolute: string, shown: string): Promise<void> {
  if (!(await exists(absolute))) throw new StudioError('not_found', `flow not found: ${shown}`);
  await fs.rm(absolute);
  for (const suffix of SIDECAR_SUFFIXES) await fs.rm(absolute + suffix, { force: true });
}

/** A flow id from a file name: its base name without `.ygtc`, reduced to the characters ids allow. */
export function flowIdFromFile(file: string): string {
  const base = path.basename(file).replace(/\.ygtc$/, '');
  const id = base.replace(/[^A-Za-z0-9._-]+/g, '_');
  return id === '' ? 'flow' : id;
}
