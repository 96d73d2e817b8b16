import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/conformance';

let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  child = undefined;
});

/** The built `greentic-studio chat`, driven a line at a time as a terminal user or a script would. */
function chat(args: string[]) {
  const process_ = spawn(process.execPath, [path.join(repoRoot, 'bin', 'greentic-studio.js'), 'chat', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  child = process_;
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  createInterface({ input: process_.stdout! }).on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  process_.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => process_.once('exit', (code) => resolve(code)));
  return {
    lines,
    stderr: () => stderr,
    send: (line: string) => void process_.stdin!.write(`${line}\n`),
    /** Waits for the n-th line of output (1-based), for as long as a busy machine needs. */
    line: async (n: number) => {
      await expect.poll(() => lines.length, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(n);
      return lines[n - 1] as Record<string, unknown>;
    },
    close: () => {
      process_.stdin!.end();
      return exited;
    },
  };
}

describe('greentic-studio chat --break, driven line by line', () => {
  it('pauses, steps, edits, times out a forgotten pause leaving the session as it was, and goes on', async () => {
    const session = chat([path.join(repoRoot, 'resources', 'sample-project'), '--break', 'greet', '--json', '--pause-timeout', '1500']);
    session.send('hi');
    expect(await session.line(1)).toMatchObject({ event: 'paused', node: 'greet' });
    session.send(':n');
    expect(await session.line(2)).toMatchObject({ event: 'paused', node: 'say_hello' });
    session.send(':set /input/messages/0/text "Edited in the debugger"');
    session.send(':c');
    expect(await session.line(3)).toEqual({ type: 'text', text: 'Edited in the debugger' });

    // A pause nobody answers ends by itself; the flow still waits for the name, as before that turn.
    session.send(':break welcome');
    session.send('Ada');
    expect(await session.line(4)).toMatchObject({ event: 'paused', node: 'welcome' });
    await expect.poll(() => session.stderr(), { timeout: 30_000 }).toContain('turn failed (debug_timeout)');
    expect(session.stderr()).toContain('for longer than 1500 ms and was ended; the session is as it was before the turn');
    // Like any failed turn, it answers with an error card.
    expect(JSON.stringify(await session.line(5))).toContain('kind: debug_timeout');
    session.send(':clear welcome');
    session.send('Ada');
    expect(await session.line(6)).toEqual({ type: 'text', text: 'Nice to meet you, Ada!' });
    expect(await session.line(7)).toMatchObject({ type: 'adaptive_card' });
    // One failed turn (the timed-out one): exit 1, as for any failed turn.
    expect(await session.close()).toBe(1);
    expect(session.lines).toHaveLength(7);
  });
});
