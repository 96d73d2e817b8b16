import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/conformance';

let child: ChildProcess | undefined;
const folders: string[] = [];

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  child = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function scratch(prefix: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** Runs `npm start`'s script as a newcomer would, on a machine where the Electron binary is absent. */
function startWithoutElectron(env: Record<string, string>) {
  let stdout = '';
  child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'start-desktop.js')], {
    cwd: repoRoot,
    // An empty override folder stands for an Electron package whose binary was never downloaded.
    env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: scratch('gs-no-electron-'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return { stdout: () => stdout, child };
}

const addressIn = (text: string) => /The studio is at: +(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(text)?.[1];

describe('npm start without the Electron binary', () => {
  it('says why, serves the studio in web mode on a copy of the sample project, and opens the browser on it', async () => {
    const config = scratch('gs-start-config-');
    const opened = path.join(config, 'opened-url');
    const browser = path.join(config, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(browser, 0o755);
    const run = startWithoutElectron({ GREENTIC_STUDIO_CONFIG_DIR: config, BROWSER: browser });

    await expect.poll(() => run.stdout(), { timeout: 30_000 }).toMatch(/Opened it in your browser/);
    expect(run.stdout()).toMatch(/The desktop window cannot open: the Electron binary is not installed/);
    const url = addressIn(run.stdout());
    expect(url).toBeDefined();
    expect(readFileSync(opened, 'utf8')).toBe(url);
    expect(existsSync(path.join(config, 'sample-project', 'flows', 'main.ygtc'))).toBe(true);
    expect(run.stdout()).toContain(path.join(config, 'sample-project'));

    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
  });

  it('prints the address to open where no browser can be started', async () => {
    const run = startWithoutElectron({ GREENTIC_STUDIO_CONFIG_DIR: scratch('gs-start-config-'), BROWSER: 'none' });
    await expect.poll(() => run.stdout(), { timeout: 30_000 }).toMatch(/No browser could be opened here/);
    const url = addressIn(run.stdout());
    expect((await fetch(url!)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => run.child.once('exit', resolve));
    run.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
