import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './conformance';

/** One `greentic-studio serve` process of the built CLI, as an operator runs it, with its ready line. */
export interface RunnerProcess {
  ready: Record<string, unknown>;
  /** Everything it wrote to stderr so far (NATS and session status lines). */
  readonly stderr: string;
  /** Stops it gracefully (SIGTERM) or kills it without warning (SIGKILL); resolves once it exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export interface RunnerExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnServe(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [path.join(repoRoot, 'bin', 'greentic-studio.js'), 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GREENTIC_STUDIO_CONFIG_DIR: mkdtempSync(path.join(tmpdir(), 'gs-runner-config-')), ...env },
  });
}

/** The first line `serve --json` prints, parsed; an error with what it wrote to stderr if it exits or stalls first. */
export function readyLine(child: ChildProcess, stderr: () => string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not get ready in time\n${stderr()}`)), 45_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with code ${code}\n${stderr()}`));
    });
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as Record<string, unknown>);
    });
  });
}

/** Starts `serve <args> --json` and resolves with its ready line. */
export async function startRunner(args: string[], env: Record<string, string> = {}): Promise<RunnerProcess> {
  const child = spawnServe([...args, '--json', '--port', '0'], env);
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await readyLine(child, () => stderr);
  return {
    ready,
    get stderr() {
      return stderr;
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Runs `serve <args> --json` expecting it to stop by itself (a refused configuration). */
export async function runServeToExit(args: string[], env: Record<string, string> = {}): Promise<RunnerExit> {
  const child = spawnServe([...args, '--json', '--port', '0'], env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
