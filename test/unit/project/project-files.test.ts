import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudioEvents } from '../../../src/shared/api';
import { loadFlow } from '../../../src/shared/flow';
import { EventBus } from '../../../src/runtime/events';
import { createProjectHandlers, ProjectSession } from '../../../src/runtime/project/handlers';
import { repoRoot } from '../../support/conformance';

const sample = path.join(repoRoot, 'resources', 'sample-project');
let folder: string;
let session: ProjectSession;
let handlers: ReturnType<typeof createProjectHandlers>;
let events: EventBus;

beforeEach(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'studio-project-'));
  cpSync(sample, folder, { recursive: true });
  events = new EventBus();
  session = new ProjectSession(folder, { events, templateFolder: sample, configDir: mkdtempSync(path.join(tmpdir(), 'studio-config-')) });
  handlers = createProjectHandlers(session);
  await handlers.openProject({});
});

afterEach(() => session.close());

const file = (relative: string) => path.join(folder, relative);

describe('flow files', () => {
  it('creates a flow that loads, and refuses to overwrite one', async () => {
    const created = await handlers.createFlow({ path: 'flows/orders.ygtc', id: 'orders', type: 'messaging', title: 'Orders' });
    expect(created.path).toBe('flows/orders.ygtc');
    expect(readFileSync(file('flows/orders.ygtc'), 'utf8')).toBe(created.text);
    expect(loadFlow(created.text).ir).toMatchObject({ id: 'orders', title: 'Orders', type: 'messaging' });
    await expect(handlers.createFlow({ path: 'flows/main.ygtc', id: 'x', type: 'messaging' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('renames a flow together with its sidecars', async () => {
    writeFileSync(file('flows/main.ygtc.layout.json'), '{"version":1,"nodes":{}}\n');
    writeFileSync(file('flows/main.ygtc.resolve.json'), '{"schema_version":1,"flow":"main.ygtc","nodes":{}}\n');
    const moved = await handlers.renameFlow({ from: 'flows/main.ygtc', to: 'flows/welcome.ygtc' });
    expect(moved.path).toBe('flows/welcome.ygtc');
    expect(existsSync(file('flows/main.ygtc'))).toBe(false);
    expect(existsSync(file('flows/welcome.ygtc.layout.json'))).toBe(true);
    expect(existsSync(file('flows/welcome.ygtc.resolve.json'))).toBe(true);
    expect(existsSync(file('flows/main.ygtc.layout.json'))).toBe(false);
  });

  it('duplicates a flow under a new id and keeps the original untouched', async () => {
    writeFileSync(file('flows/main.ygtc.layout.json'), '{"version":1,"nodes":{"greet":{"x":1,"y":2}}}\n');
    const original = readFileSync(file('flows/main.ygtc'), 'utf8');
    const copy = await handlers.duplicateFlow({ from: 'flows/main.ygtc', to: 'flows/main-copy.ygtc' });
    expect(loadFlow(copy.text).ir?.id).toBe('main-copy');
    expect(copy.text.replace('id: main-copy', 'id: main')).toBe(original);
    expect(readFileSync(file('flows/main.ygtc'), 'utf8')).toBe(original);
    expect(readFileSync(file('flows/main-copy.ygtc.layout.json'), 'utf8')).toContain('"greet"');
  });

  it('deletes a flow and its sidecars', async () => {
    writeFileSync(file('flows/main.ygtc.layout.json'), '{"version":1,"nodes":{}}\n');
    await handlers.deleteFlow({ path: 'flows/main.ygtc' });
    expect(existsSync(file('flows/main.ygtc'))).toBe(false);
    expect(existsSync(file('flows/main.ygtc.layout.json'))).toBe(false);
    await expect(handlers.deleteFlow({ path: 'flows/main.ygtc' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps every file operation inside the project', async () => {
    await expect(handlers.renameFlow({ from: 'flows/main.ygtc', to: '../escape.ygtc' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(handlers.duplicateFlow({ from: 'flows/main.ygtc', to: 'flows/notes.txt' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(handlers.deleteFlow({ path: '../../etc/passwd.ygtc' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('layout sidecar', () => {
  it('reads a missing sidecar as null and round-trips a saved one', async () => {
    expect(await handlers.readLayout({ path: 'flows/main.ygtc' })).toEqual({ path: 'flows/main.ygtc.layout.json', layout: null, problem: null });
    const layout = { version: 1 as const, nodes: { greet: { x: 10, y: 20 }, menu: { x: 300, y: 20 } } };
    await handlers.saveLayout({ path: 'flows/main.ygtc', layout });
    expect((await handlers.readLayout({ path: 'flows/main.ygtc' })).layout).toEqual(layout);
    expect(readFileSync(file('flows/main.ygtc.layout.json'), 'utf8')).toBe(`${JSON.stringify(layout, null, 2)}\n`);
  });

  it('explains a sidecar it cannot read instead of failing', async () => {
    writeFileSync(file('flows/main.ygtc.layout.json'), '{"version": 7}');
    const read = await handlers.readLayout({ path: 'flows/main.ygtc' });
    expect(read.layout).toBeNull();
    expect(read.problem).toMatch(/layout file is invalid at version/);
  });
});

describe('project snapshot', () => {
  it('lists components from manifests with their operations, and assets', async () => {
    mkdirSync(file('components/greeter'), { recursive: true });
    writeFileSync(
      file('components/greeter/component.manifest.json'),
      JSON.stringify({ id: 'acme.greeter', name: 'Greeter', version: '1.0.0', operations: [{ name: 'greet', input_schema: { type: 'object', properties: { who: { type: 'string' } } } }] }),
    );
    mkdirSync(file('components/broken'), { recursive: true });
    writeFileSync(file('components/broken/component.manifest.json'), '{ not json');
    const snapshot = await handlers.getProject({});
    expect(snapshot?.components).toEqual([
      { id: 'acme.greeter', name: 'Greeter', version: '1.0.0', manifestPath: 'components/greeter/component.manifest.json', operations: [{ name: 'greet', inputSchema: { type: 'object', properties: { who: { type: 'string' } } } }] },
      // The sample project's own WASM component.
      {
        id: 'studio.sample.text-tools',
        name: 'text-tools',
        version: '0.1.0',
        manifestPath: 'components/text-tools/component.manifest.json',
        operations: [
          { name: 'stats', inputSchema: { type: 'string' } },
          { name: 'shout', inputSchema: { type: 'string' } },
        ],
        configSchema: { type: 'object', properties: {}, required: [], additionalProperties: false },
      },
    ]);
    expect(snapshot?.assets).toEqual(['assets/cards/about.json']);
  });
});

describe('projects', () => {
  it('remembers opened projects, newest first', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'studio-other-'));
    await handlers.openProject({ path: other });
    const recent = await handlers.recentProjects({});
    expect(recent.map((r) => r.root)).toEqual([other, folder]);
  });

  it('lists a project once, however its folder was named when it was opened', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'studio-other-'));
    const link = path.join(mkdtempSync(path.join(tmpdir(), 'studio-link-')), 'project');
    symlinkSync(folder, link);
    await handlers.openProject({ path: other });
    await handlers.openProject({ path: link });
    await handlers.openProject({ path: `${folder}/flows/..` });
    await handlers.openProject({ path: other });
    const recent = await handlers.recentProjects({});
    expect(recent.map((r) => r.root)).toEqual([other, folder]);
  });

  it('creates a new project from the template in an empty folder only', async () => {
    const target = path.join(mkdtempSync(path.join(tmpdir(), 'studio-new-')), 'fresh');
    const snapshot = await handlers.newProject({ path: target });
    expect(snapshot.flows.map((f) => f.path)).toEqual(['flows/main.ygtc']);
    await expect(handlers.newProject({ path: folder })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('reports a flow changed on disk by another program', async () => {
    const seen: Array<StudioEvents['projectFilesChanged']> = [];
    events.subscribe((name, payload) => {
      if (name === 'projectFilesChanged') seen.push(payload as StudioEvents['projectFilesChanged']);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    writeFileSync(file('flows/main.ygtc'), 'id: main\ntype: messaging\nnodes: {}\n');
    await expect.poll(() => seen.flatMap((event) => event.paths)).toContain('flows/main.ygtc');
    expect(seen[0]?.root).toBe(folder);
  });

  it('keeps reporting a flow after atomic saves replaced the file', async () => {
    const seen: string[] = [];
    events.subscribe((name, payload) => {
      if (name === 'projectFilesChanged') seen.push(...(payload as StudioEvents['projectFilesChanged']).paths);
    });
    await handlers.saveFlow({ path: 'flows/main.ygtc', text: 'id: main\ntype: messaging\nnodes: {}\n' });
    await expect.poll(() => seen).toContain('flows/main.ygtc');
    seen.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeFileSync(file('flows/main.ygtc'), 'id: other\ntype: messaging\nnodes: {}\n');
    await expect.poll(() => seen).toContain('flows/main.ygtc');
  });
});
