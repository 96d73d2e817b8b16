import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** What the real-server test helpers (nats-server, redis-server) share: finding, awaiting and stopping a daemon. */

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** `binary` on PATH or in `extraFolders`, else an error saying how to install it. */
export function findBinary(binary: string, extraFolders: string[], installHint: string): string {
  for (const folder of [...(process.env.PATH ?? '').split(path.delimiter), ...extraFolders]) {
    const candidate = path.join(folder, binary);
    if (folder && existsSync(candidate)) return candidate;
  }
  throw new Error(`${binary} is not installed: the tests that need it cannot run. ${installHint}`);
}

/**
 * Collects what `child` prints into `log` and resolves once `ready(output)` holds; rejects (and
 * kills it) when it exits first or takes too long.
 */
export function waitUntilReady<T>(child: ChildProcess, name: string, log: (chunk: string) => string, ready: (output: string) => T | null): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let output = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${name} was not ready within ${READY_TIMEOUT_MS} ms:\n${output}`)), READY_TIMEOUT_MS);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onOutput = (chunk: Buffer) => {
      output = log(chunk.toString());
      const value = settled ? null : ready(output);
      if (value === null) return;
      settled = true;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      resolve(value);
    };
    const onEarlyExit = (code: number | null) => fail(new Error(`${name} exited with code ${code} before it was ready:\n${output}`));
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', (error) => fail(new Error(`cannot start ${name}: ${error.message}`)));
    child.once('exit', onEarlyExit);
  });
}

/** Sends `signal` (SIGKILL if it is still alive after a while) and resolves once the process exited. */
export async function stopProcess(child: ChildProcess | null, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
