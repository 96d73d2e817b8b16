import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../support/conformance';
import { readyLine } from '../../support/runner-process';

export interface ServedStudio {
  url: string;
  port: number;
  projectDir: string;
  ready: Record<string, unknown>;
  stop(): Promise<void>;
}

/** A fresh copy of the sample project, so tests never edit the one in the repository. */
export function copySampleProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'studio-e2e-'));
  cpSync(path.join(repoRoot, 'resources', 'sample-project'), dir, { recursive: true });
  return dir;
}

/**
 * Starts the built CLI in web mode (`serve --ui --json`) and resolves with its ready line. Its
 * settings go to `configDir` (default: a fresh throw-away folder, never the user's own).
 */
export async function serveStudio(projectDir = copySampleProject(), extraArgs: string[] = [], configDir?: string): Promise<ServedStudio> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin', 'greentic-studio.js'), 'serve', projectDir, '--ui', '--json', '--port', '0', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GREENTIC_STUDIO_CONFIG_DIR: configDir ?? mkdtempSync(path.join(tmpdir(), 'studio-e2e-config-')) } },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));

  const ready = await readyLine(child, () => stderr);

  return {
    url: String(ready.url),
    port: Number(ready.port),
    projectDir,
    ready,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
