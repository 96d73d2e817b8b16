import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/shared/flow';
import { runCliCaptured as run } from '../../support/cli';
import { conformancePath, hasConformance } from '../../support/conformance';

const SAMPLE = path.resolve('resources/sample-project');
let work = '';
let project = '';
const flowFile = () => path.join(project, 'flows/main.ygtc');

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'gs-checks-'));
  project = path.join(work, 'project');
  await cp(SAMPLE, project, { recursive: true });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface Reported {
  ok: boolean;
  files: Array<{ diagnostics: Array<{ severity: string; code: string; message: string }> }>;
}

describe('validate: the component each step calls', () => {
  it('passes the sample, whose steps call built-in and project components', async () => {
    const result = await run('validate', flowFile(), '--json');
    const report = JSON.parse(result.stdout) as Reported;
    expect(report.files[0]!.diagnostics.filter((d) => d.code === 'component_unknown')).toEqual([]);
  });

  it('warns about a component that is neither built in, in the project, nor locked, with the fix', async () => {
    const added = await run('flow', 'add-step', flowFile(), '--after', 'count', '--id', 'forecast', '--op', 'weather.forecast', '--payload', '{"city": "Ghent"}', '--write');
    expect(added.code).toBe(0);
    const result = await run('validate', flowFile(), '--json');
    expect(result.code).toBe(0);
    const unknown = (JSON.parse(result.stdout) as Reported).files[0]!.diagnostics.filter((d) => d.code === 'component_unknown');
    expect(unknown).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/^node 'forecast' uses component 'weather', which is neither built in, in the project, nor locked: .*flow bind-component --component oci:\/\/.*pack resolve/),
      }),
    ]);
  });

  it('reports a step config that breaks its component config_schema, as upstream flow doctor words it', async () => {
    const manifestPath = path.join(project, 'components/text-tools/component.manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
    manifest.config_schema = { type: 'object', properties: { mode: { type: 'string', enum: ['loud', 'quiet'] }, level: { type: 'integer', minimum: 1 } }, required: ['mode'], additionalProperties: false };
    await writeFile(manifestPath, JSON.stringify(manifest));
    const updated = await run('flow', 'bind-component', flowFile(), '--step', 'shout', '--local-wasm', path.join(project, 'components/text-tools/component.wasm'), '--pin', '--write');
    expect(updated.code, updated.stderr).toBe(0);
    const config = await run('flow', 'update-step', flowFile(), '--step', 'shout', '--answers', '{"config": {"level": 0, "colour": "red"}}', '--write');
    expect(config.code, config.stderr).toBe(0);
    const result = await run('validate', flowFile(), '--json');
    expect(result.code).toBe(1);
    const findings = (JSON.parse(result.stdout) as Reported).files[0]!.diagnostics.filter((d) => d.code.startsWith('SCHEMA_')).map((d) => [d.code, d.message]);
    expect(findings).toEqual([
      ['SCHEMA_REQUIRED_MISSING', "node 'shout' config (studio.sample.text-tools config_schema): missing required field 'mode' at $"],
      ['SCHEMA_INT_MIN', "node 'shout' config (studio.sample.text-tools config_schema): integer 0 < min 1 at $.level"],
      ['SCHEMA_ADDITIONAL_FORBIDDEN', "node 'shout' config (studio.sample.text-tools config_schema): additional property 'colour' not allowed at $"],
    ]);
  });

  it('validates values with the subset of JSON Schema upstream checks', () => {
    expect(validateConfig({ type: 'array', items: { type: 'string', maxLength: 2 }, maxItems: 1 }, ['abc', 'd']).map((i) => i.message)).toEqual([
      'array length 2 > max_items 1 at $',
      'string length 3 > max_len 2 at $[0]',
    ]);
    expect(validateConfig({ oneOf: [{ type: 'string' }, { type: 'integer' }] }, true)[0]?.code).toBe('SCHEMA_ONE_OF');
    expect(validateConfig({ type: 'string', enum: ['a'] }, 'b')[0]?.message).toBe('value is not in enum at $');
  });
});

describe('greentic-studio flow update-step and bind-component', () => {
  it('refuses to update a step without a sidecar binding, naming the fix', async () => {
    const result = await run('flow', 'update-step', flowFile(), '--step', 'greet', '--routing-out');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no sidecar mapping for node 'greet'; run greentic-studio flow bind-component/);
  });

  it('binds a step in the sidecar only, then renames its operation and replaces its routing', async () => {
    const before = await readFile(flowFile(), 'utf8');
    const bound = await run('flow', 'bind-component', flowFile(), '--step', 'count', '--component', 'oci://ghcr.io/greenticai/components/text-tools:0.1.0', '--write');
    expect(bound.stdout).toMatch(/Bound component for node 'count'/);
    expect(await readFile(flowFile(), 'utf8')).toBe(before);
    const sidecar = JSON.parse(await readFile(`${flowFile()}.resolve.json`, 'utf8')) as { nodes: Record<string, unknown> };
    expect(sidecar.nodes.count).toEqual({ source: { kind: 'oci', ref: 'oci://ghcr.io/greenticai/components/text-tools:0.1.0' } });
    const result = await run('flow', 'update-step', flowFile(), '--step', 'count', '--operation', 'studio.sample.text-tools.shout', '--routing-next', 'shouted');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('  count:\n    studio.sample.text-tools.shout:\n      input: "{{state.input.input.text}}"\n    routing:\n      - to: shouted\n');
    expect(await readFile(flowFile(), 'utf8')).toBe(before);
    expect((await run('flow', 'bind-component', flowFile(), '--step', 'nope', '--component', 'oci://ghcr.io/a/b:1')).stderr).toMatch(/node 'nope' not found in flow/);
  });
});

describe('greentic-studio pack doctor', () => {
  it('names a zero-node flow, a missing asset, a missing component, an unlocked binding and no entry flow', async () => {
    const pack = path.join(work, 'doctor');
    await cp(SAMPLE, pack, { recursive: true });
    await writeFile(path.join(pack, 'flows/empty.ygtc'), 'id: empty\ntype: messaging\nnodes: {}\n');
    // The sample's pack.yaml, without the main flow's entrypoint, with the empty flow and a missing asset.
    const sampleYaml = await readFile(path.join(pack, 'pack.yaml'), 'utf8');
    const flows = '  - id: main\n    file: flows/main.ygtc\n    tags:\n      - default\n    entrypoints:\n      - default\n';
    expect(sampleYaml).toContain(flows);
    await writeFile(
      path.join(pack, 'pack.yaml'),
      sampleYaml
        .replace(flows, '  - id: main\n    file: flows/main.ygtc\n  - id: empty\n    file: flows/empty.ygtc\n')
        .replace('assets: []', 'assets:\n  - path: assets/cards/missing.json'),
    );
    const flow = path.join(pack, 'flows/main.ygtc');
    expect((await run('flow', 'add-step', flow, '--after', 'count', '--id', 'forecast', '--op', 'weather.forecast', '--write')).code).toBe(0);
    expect((await run('flow', 'bind-component', flow, '--step', 'shout', '--component', 'oci://ghcr.io/greenticai/components/text-tools:0.1.0', '--write')).code).toBe(0);

    const result = await run('pack', 'doctor', pack, '--json');
    expect(result.code).toBe(1);
    const found = (JSON.parse(result.stdout) as { diagnostics: Array<{ code: string; message: string; path?: string }> }).diagnostics.map((d) => [d.code, d.path, d.message]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['PACK_MISSING_COMPONENT_REFERENCE', 'flows.main.nodes.forecast.component', "Flow references component 'weather' missing from manifest/component sources."],
        ['PACK_FLOW_EMPTY', 'flows/empty.ygtc', "Flow 'empty' has no nodes."],
        ['PACK_LOCK_COMPONENT_MISSING', 'flows/main.ygtc.resolve.json', "node 'shout' of flow 'main' is bound to oci://ghcr.io/greenticai/components/text-tools:0.1.0, which pack.lock.cbor does not pin."],
        ['PACK_MISSING_FILE', 'assets/cards/missing.json', 'Referenced file is missing from the pack folder.'],
        ['PACK_ENTRY_FLOW_MISSING', 'flows', 'No flow of the pack declares an entrypoint.'],
      ]),
    );
    expect(found).toHaveLength(5);
  });

  it('passes the sample project and upstream\'s canonical archive', async () => {
    const sample = await run('pack', 'doctor', SAMPLE);
    expect(sample.stdout, sample.stdout).toBe(`${SAMPLE}: ok\n`);
    expect(sample.code).toBe(0);
    if (!hasConformance) return;
    const archive = conformancePath('packs/archives/canonical-msg-event-app.gtpack');
    const result = await run('pack', 'doctor', archive, '--json');
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, diagnostics: [] });
  });
});
