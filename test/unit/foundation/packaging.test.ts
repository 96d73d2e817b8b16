import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../support/conformance';

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

describe('the packaged app', () => {
  it('is built with the Electron that npm installs: electron-builder.yml names the version package.json pins', () => {
    const pkg = JSON.parse(read('package.json')) as { optionalDependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const builder = parse(read('electron-builder.yml')) as { electronVersion?: string; files: string[] };
    // Optional, so that npm install goes on where the binary cannot be downloaded; pinned exactly.
    expect(pkg.optionalDependencies?.electron).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies?.electron).toBeUndefined();
    expect(builder.electronVersion).toBe(pkg.optionalDependencies?.electron);
    // A production dependency for npm, but never inside the app: the builder supplies Electron itself.
    expect(builder.files).toContain('!node_modules/electron{,/**/*}');
  });
});
