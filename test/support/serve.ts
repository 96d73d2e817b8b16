import { vi } from 'vitest';
import { runCli } from '../../src/cli/program';

export interface ServeReady {
  port: number;
  url: string;
  directline: string;
  secret: string;
}

export interface ServeRun {
  ready: ServeReady;
  /** What the command wrote to stderr so far. */
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number>;
  /** Resolves with the exit code whenever the command returns, on its own or after `stop`. */
  exit: Promise<number>;
}

/**
 * Runs `greentic-studio serve <args> --json` in this process (one at a time: `stop` signals the
 * process) and resolves once its ready line is out.
 */
export async function startServe(...args: string[]): Promise<ServeRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  let returned = false;
  const exit = runCli(['serve', ...args, '--json']).finally(() => {
    returned = true;
    out.mockRestore();
    err.mockRestore();
  });
  await vi.waitUntil(() => returned || stdout.includes('"event":"ready"'), { timeout: 30_000, interval: 20 });
  if (!stdout.includes('"event":"ready"')) throw new Error(`serve did not start (exit ${await exit}): ${stderr}`);
  const ready = JSON.parse(stdout.split('\n').find((line) => line.includes('"event":"ready"')) ?? '') as ServeReady;
  return {
    ready,
    stderr: () => stderr,
    exit,
    stop: () => {
      process.emit('SIGTERM', 'SIGTERM');
      return exit;
    },
  };
}
