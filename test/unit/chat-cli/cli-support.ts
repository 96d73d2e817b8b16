import { Readable } from 'node:stream';
import { vi } from 'vitest';
import { runCli } from '../../../src/cli/program';

/** Runs the CLI in-process with `input` on stdin; returns the exit code and what it printed. */
export async function cli(argv: string[], input = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  const stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
  Object.defineProperty(process, 'stdin', { value: Readable.from([input]), configurable: true });
  try {
    const code = await runCli(argv);
    return { code, out, err };
  } finally {
    if (stdin) Object.defineProperty(process, 'stdin', stdin);
    vi.restoreAllMocks();
  }
}
