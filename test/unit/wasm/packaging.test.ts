import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { outsideAsar, resolveWorkerScript, WORKER_FILE } from '../../../src/runtime/components/wasm/worker/worker-script';
import { SAMPLE_COMPONENTS } from '../../../scripts/wasm/sample-components';
import { repoRoot } from '../../support/conformance';

interface BuilderConfig {
  asarUnpack?: string[];
  extraResources?: Array<{ from: string; to: string; filter?: string[] }>;
}

const builder = parseYaml(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('where the pool finds its worker script', () => {
  const only = (...files: string[]) => (file: string) => files.includes(file);

  it('runs the TypeScript source under the TypeScript loader in tests', () => {
    const script = resolveWorkerScript('file:///repo/src/runtime/components/wasm/worker/pool.ts', () => false);
    expect(script.eval).toBe(true);
    expect(script.url).toContain("import('tsx/esm/api')");
    expect(script.url).toContain('"file:///repo/src/runtime/components/wasm/worker/worker-main.ts"');
  });

  it('takes wasm-worker.js beside the bundle of the CLI or the desktop app, or beside its chunks folder', () => {
    expect(resolveWorkerScript('file:///repo/out/cli/index.js', only('/repo/out/cli/wasm-worker.js'))).toEqual({ url: new URL('file:///repo/out/cli/wasm-worker.js'), eval: false });
    expect(resolveWorkerScript('file:///repo/out/main/chunks/pool-x1.js', only('/repo/out/main/wasm-worker.js'))).toEqual({ url: new URL('file:///repo/out/main/wasm-worker.js'), eval: false });
  });

  it('starts a packaged app worker from app.asar.unpacked, never from inside the archive', () => {
    const bundle = 'file:///opt/Greentic%20Studio/resources/app.asar/out/main/index.js';
    const unpacked = '/opt/Greentic Studio/resources/app.asar.unpacked/out/main/wasm-worker.js';
    const seen: string[] = [];
    const script = resolveWorkerScript(bundle, (file) => (seen.push(file), file === unpacked));
    expect(script).toEqual({ url: pathToFileURL(unpacked), eval: false });
    expect(seen.every((file) => file.includes('app.asar.unpacked'))).toBe(true);
    // Windows file URLs have the same shape; only the archive's own segment changes.
    expect(outsideAsar(new URL('file:///C:/Apps/Studio/resources/app.asar/out/main/wasm-worker.js')).href).toBe('file:///C:/Apps/Studio/resources/app.asar.unpacked/out/main/wasm-worker.js');
    expect(outsideAsar(new URL('file:///home/me/app.asar.notes/x.js')).href).toBe('file:///home/me/app.asar.notes/x.js');
  });

  it('says where it looked when the build has no worker', () => {
    expect(() => resolveWorkerScript('file:///repo/out/cli/index.js', () => false)).toThrow(/wasm-worker\.js is missing|looked for \/repo\/out\/cli\/wasm-worker\.js and \/repo\/out\/wasm-worker\.js/);
  });
});

describe('the packaged desktop app', () => {
  it('unpacks the worker, its chunks and every package the worker imports at run time out of app.asar', () => {
    const unpacked = new Set(builder.asarUnpack ?? []);
    expect(unpacked).toContain(`out/main/${WORKER_FILE}`);
    expect(unpacked).toContain('out/main/chunks/**');
    const packages = withDependencies(workerPackages());
    expect(packages).toContain('@bytecodealliance/preview2-shim');
    expect(packages).toContain('cbor-x');
    expect(packages).not.toContain('@bytecodealliance/jco');
    for (const name of packages) expect(covered(`node_modules/${name}/package.json`, [...unpacked]), `asarUnpack misses ${name}`).toBe(true);
  });

  it('ships the sample project with its built components as an extra resource', () => {
    const sample = builder.extraResources?.find((resource) => resource.from === 'resources/sample-project');
    expect(sample).toMatchObject({ to: 'sample-project' });
    // No filter: everything the build put into the folder goes, the components and the lock included.
    expect(sample?.filter).toBeUndefined();
    expect(SAMPLE_COMPONENTS.length).toBeGreaterThan(0);
  });
});

/** Whether electron-builder's glob patterns (`*` within a segment, `**` across) match the path. */
function covered(file: string, patterns: string[]): boolean {
  return patterns.some((pattern) => {
    const source = pattern.split('**').map((part) => part.split('*').map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('.*');
    return new RegExp(`^${source}$`).test(file);
  });
}

/** Packages reached from the worker's entry through value imports (type-only imports vanish in the build). */
function workerPackages(): string[] {
  const entry = path.join(repoRoot, 'src/runtime/components/wasm/worker/worker-main.ts');
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of valueImports(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) visit(tsFile(path.resolve(path.dirname(file), specifier)));
      else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) packages.add(packageName(specifier));
    }
  };
  visit(entry);
  return [...packages];
}

function valueImports(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm,
    /import\(\s*'([^']+)'\s*\)/g,
    /\.resolve\(\s*'([^']+)'\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function tsFile(base: string): string {
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`cannot resolve ${base}`);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** The packages and, transitively, the installed dependencies they load at run time. */
function withDependencies(roots: string[]): string[] {
  const all = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.shift()!;
    const manifestPath = path.join(repoRoot, 'node_modules', name, 'package.json');
    if (all.has(name) || !existsSync(manifestPath)) continue;
    all.add(name);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    queue.push(...Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }));
  }
  return [...all].sort();
}
