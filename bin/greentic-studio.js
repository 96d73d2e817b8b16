#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../out/cli/index.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('greentic-studio: the CLI is not built yet. Run `npm run build` (npm install does it too).\n');
  process.exit(2);
}
await import(pathToFileURL(entry).href);
