#!/usr/bin/env node
// `npm start`: launches the desktop studio on the built app. Where the Electron binary is not installed
// (ELECTRON_SKIP_BINARY_DOWNLOAD, an offline machine), it says so and names the web-mode command.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webMode = 'npx greentic-studio serve resources/sample-project --ui';

function electronBinary() {
  try {
    const binary = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  process.stderr.write(
    [
      'The Electron binary is not installed, so the desktop app cannot start on this machine.',
      'Install it with a network connection:  npm install  (without ELECTRON_SKIP_BINARY_DOWNLOAD)',
      `Or use the studio in your browser:    ${webMode}`,
      '',
    ].join('\n'),
  );
  process.exit(1);
}
if (!existsSync(path.join(root, 'out', 'main', 'index.js'))) {
  process.stderr.write('The app is not built yet: run `npm run build` first.\n');
  process.exit(1);
}

const child = spawn(binary, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
