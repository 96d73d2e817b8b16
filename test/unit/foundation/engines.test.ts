import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/conformance';

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };

describe('the Node version the README asks for', () => {
  const oldestSupported = semver.minVersion(manifest.engines.node)!.version;

  it('is the oldest one package.json accepts', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`Node.js ${oldestSupported.replace(/\.0$/, '')} or newer`);
  });

  it('satisfies every installed package, so npm install prints no EBADENGINE warning', () => {
    const refusing = Object.entries(lock.packages).flatMap(([where, entry]) => {
      const wanted = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      return wanted && !semver.satisfies(oldestSupported, wanted) ? [`${where.replace(/^.*node_modules\//, '')}@${entry.version}: node ${wanted}`] : [];
    });
    expect(refusing).toEqual([]);
  });
});
