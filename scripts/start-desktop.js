#!/usr/bin/env node
// `npm start`: opens the desktop studio on the built app. Where the desktop window cannot open (the
// Electron binary could not be downloaded at install, or there is no display), it says why and serves
// the studio in web mode instead, on the same project, and opens it in the default browser.
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

if (!existsSync(path.join(root, 'out', 'main', 'index.js')) || !existsSync(path.join(root, 'out', 'cli', 'index.js'))) {
  process.stderr.write('The app is not built yet: run `npm run build` first.\n');
  process.exit(1);
}

const { binary, reason } = desktopRuntime();
if (binary) {
  const child = spawn(binary, ['.', ...args], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
} else {
  await startInBrowser(reason);
}

/** The Electron executable, or why the desktop window cannot open here. */
function desktopRuntime() {
  let binary;
  try {
    binary = createRequire(import.meta.url)('electron');
  } catch {
    binary = null;
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return { binary: null, reason: 'the Electron binary is not installed (its download failed or was skipped during npm install)' };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { binary: null, reason: 'there is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  return { binary, reason: null };
}

async function startInBrowser(reason) {
  const project = args.find((arg) => !arg.startsWith('-')) ?? (await ensureSampleProject());
  process.stdout.write(`The desktop window cannot open: ${reason}.\nStarting the studio in web mode on ${project} instead.\n`);
  const serve = spawn(process.execPath, [path.join(root, 'bin', 'greentic-studio.js'), 'serve', project, '--ui', '--json'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => serve.kill(signal));
  // Ctrl+C reaches serve from the terminal as well as from here: a stop by either signal is a clean one.
  serve.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)));

  for await (const line of createInterface({ input: serve.stdout })) {
    let ready;
    try {
      ready = JSON.parse(line);
    } catch {
      process.stdout.write(`${line}\n`);
      continue;
    }
    if (ready.event !== 'ready') continue;
    process.stdout.write(
      [`The studio is at:  ${ready.url}`, `Direct Line:       ${ready.directline}  (secret ${ready.secret})`, 'Press Ctrl+C to stop.', ''].join('\n'),
    );
    const opened = await openBrowser(ready.url);
    process.stdout.write(opened ? 'Opened it in your browser.\n' : 'No browser could be opened here: open the address above in one.\n');
  }
}

/**
 * The project the studio opens on first start: a copy of the bundled sample in the user's data folder,
 * as the desktop app makes it (src/main/sample-project.ts); an existing copy is left as the user left it.
 */
async function ensureSampleProject() {
  const base = process.env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  const userData = process.env.GREENTIC_STUDIO_CONFIG_DIR ? path.resolve(process.env.GREENTIC_STUDIO_CONFIG_DIR) : path.join(base, 'greentic-studio');
  const target = path.join(userData, 'sample-project');
  if (!existsSync(target)) await fs.cp(path.join(root, 'resources', 'sample-project'), target, { recursive: true, force: false });
  return target;
}

/**
 * Opens `url` in the default browser: `$BROWSER` when set (`none` opens nothing), else the platform's
 * opener. Resolves false where none could be started, or on Linux without a graphical session.
 */
function openBrowser(url) {
  const chosen = process.env.BROWSER;
  if (chosen === 'none') return Promise.resolve(false);
  let command;
  let commandArgs = [url];
  if (chosen) command = chosen;
  else if (process.platform === 'darwin') command = 'open';
  else if (process.platform === 'win32') [command, commandArgs] = ['cmd', ['/c', 'start', '""', url]];
  else if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) command = 'xdg-open';
  else return Promise.resolve(false);
  return new Promise((resolve) => {
    const opener = spawn(command, commandArgs, { stdio: 'ignore' });
    opener.once('error', () => resolve(false));
    opener.once('exit', (code) => resolve(code === 0));
  });
}
