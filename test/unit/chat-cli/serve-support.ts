import { expect, vi } from 'vitest';
import { runCli } from '../../../src/cli/program';

export interface Ready {
  event: string;
  /** The UI address with its access token (with --ui). */
  url: string;
  port: number;
  directline: string;
  secret: string;
  unrunnable?: { flow: string; problem: string }[];
}

/** `greentic-studio serve …` in this process: resolves with the ready line, or with the exit of a refused start. */
export function startServe(args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const exit = runCli(['serve', ...args, '--json', '--port', '0']).finally(() => {
    out.mockRestore();
    err.mockRestore();
  });
  const ready = async (): Promise<Ready> => {
    await expect.poll(() => stdout, { timeout: 15_000 }).toContain('"event":"ready"');
    return JSON.parse(stdout.split('\n')[0] ?? '') as Ready;
  };
  const stop = async () => {
    process.emit('SIGTERM', 'SIGTERM');
    return exit;
  };
  return { exit, ready, stop, stderr: () => stderr };
}

