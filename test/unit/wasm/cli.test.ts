import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/program';
import { hasConformance } from '../../support/conformance';
import { INCIDENT_ID, incidentPack, tempDir, testComponents } from './support';

const dirs = tempDir();
let out = '';
let err = '';

beforeAll(() => {
  vi.stubEnv('GREENTIC_STUDIO_CACHE_DIR', `${dirs.dir}/cache`);
  vi.stubEnv('GREENTIC_STUDIO_SECRETS_FILE', `${dirs.dir}/secrets.json`);
});
afterAll(() => {
  vi.unstubAllEnvs();
  dirs.cleanup();
});

async function cli(...argv: string[]): Promise<number> {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return await runCli(argv);
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('greentic-studio component', () => {
  it('invoke prints the decoded output as JSON', async () => {
    const { echo } = await testComponents();
    expect(await cli('component', 'invoke', echo, 'echo', '--input', '{"greeting":"hi","n":[1,2]}')).toBe(0);
    expect(JSON.parse(out)).toEqual({ greeting: 'hi', n: [1, 2] });
  });

  it('invoke passes --config through and answers --json with one document', async () => {
    const { echo } = await testComponents();
    expect(await cli('component', 'invoke', echo, 'metadata', '--input', '{}', '--config', '{"mode":"x"}', '--json')).toBe(0);
    expect(JSON.parse(out)).toEqual({ ok: true, output: { config: { mode: 'x' }, metadata: null } });
  });

  it('invoke exits 1 on a node error and names its code and message', async () => {
    const { failing } = await testComponents();
    expect(await cli('component', 'invoke', failing, 'fail', '--input', 'null')).toBe(1);
    expect(err).toContain('node error fixture_failure: the fixture always fails');
    expect(await cli('component', 'invoke', failing, 'fail', '--input', 'null', '--json')).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ ok: false, error: { code: 'fixture_failure' } });
  });

  it('exits 2 for bad input JSON, a missing file and a component of an unsupported world', async () => {
    const paths = await testComponents();
    expect(await cli('component', 'invoke', paths.echo, 'echo', '--input', '{oops')).toBe(2);
    expect(err).toContain('--input is not valid JSON');
    expect(await cli('component', 'invoke', `${dirs.dir}/absent.wasm`, 'x', '--input', '{}')).toBe(2);
    expect(err).toContain('does not exist');
    expect(await cli('component', 'describe', paths['no-node'])).toBe(2);
    expect(err).toContain('component exports neither node@0.5/0.4 nor component-runtime@0.6');
  });

  it.skipIf(!hasConformance)('describe reads a component out of a pack', async () => {
    expect(await cli('component', 'describe', `${incidentPack()}#${INCIDENT_ID}`, '--json')).toBe(0);
    const report = JSON.parse(out) as { abi: string; operations: Array<{ name: string }>; imports: Array<{ name: string; served: boolean }> };
    expect(report.abi).toBe('0.6');
    expect(report.operations.map((op) => op.name)).toContain('create-incident');
    expect(report.imports.every((imp) => imp.served)).toBe(true);
    expect(await cli('component', 'describe', `${incidentPack()}#no.such.component`)).toBe(2);
    expect(err).toContain(`has no component no.such.component (it has: ${INCIDENT_ID})`);
  });
});
