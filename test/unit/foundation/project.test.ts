import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Project } from '../../../src/runtime/project/project';
import { toProjectPath } from '../../../src/runtime/project/paths';
import { runCliCaptured } from '../../support/cli';
import { repoRoot } from '../../support/conformance';

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'studio-project-'));
  cpSync(path.join(repoRoot, 'resources', 'sample-project'), folder, { recursive: true });
});

describe('project folder', () => {
  it('lists the sample pack and its flows', async () => {
    const snapshot = await (await Project.open(folder)).snapshot();
    expect(snapshot.packId).toBe('studio.sample');
    expect(snapshot.flows.map((f) => f.path)).toContain('flows/main.ygtc');
    expect(snapshot.flows.find((f) => f.path === 'flows/main.ygtc')).toMatchObject({ id: 'main', title: 'Welcome' });
  });

  it('lists a flow whose YAML is broken without failing the project', async () => {
    writeFileSync(path.join(folder, 'flows', 'broken.ygtc'), 'id: [unclosed\n');
    const snapshot = await (await Project.open(folder)).snapshot();
    expect(snapshot.flows.find((f) => f.path === 'flows/broken.ygtc')).toEqual({ path: 'flows/broken.ygtc', id: null, title: null });
  });

  it('checks every flow as `greentic-studio validate <project>` does, problem for problem', async () => {
    writeFileSync(path.join(folder, 'flows', 'broken.ygtc'), 'id: broken\ntype: messaging\nnodes:\n  a: [\n');
    writeFileSync(path.join(folder, 'flows', 'calls.ygtc'), 'id: calls\ntype: messaging\nnodes:\n  a:\n    flow.call: {flow_id: nowhere}\n    routing:\n      - to: gone\n');
    const problems = await (await Project.open(folder)).validate();
    const cli = await runCliCaptured('validate', '--json', folder);
    const reported = JSON.parse(cli.stdout) as { files: Array<{ path: string; diagnostics: Array<{ code: string; line: number; severity: string }> }> };
    const fromCli = reported.files.map((f) => ({ path: toProjectPath(folder, f.path), problems: f.diagnostics.map((d) => `${d.line} ${d.severity} ${d.code}`) }));
    const fromProject = problems.files.map((f) => ({
      path: f.path,
      problems: f.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.range.line} ${d.severity} ${d.code}`),
    }));
    expect(fromProject).toEqual(fromCli);
    expect(fromProject.find((f) => f.path === 'flows/broken.ygtc')?.problems).toEqual(['5 error yaml_syntax']);
    expect(fromProject.find((f) => f.path === 'flows/calls.ygtc')?.problems).toEqual(expect.arrayContaining(['7 error missing_node', '5 warning unknown_flow']));
  });

  it('refuses paths that leave the project or are not flows', async () => {
    const project = await Project.open(folder);
    await expect(project.readFlow('../outside.ygtc')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(project.readFlow('/etc/passwd.ygtc')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(project.saveFlow('pack.yaml', 'x')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(project.readFlow('flows/none.ygtc')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('saves atomically and leaves no temporary files behind', async () => {
    const project = await Project.open(folder);
    const text = (await project.readFlow('flows/main.ygtc')).text.replace('Welcome', 'Hello there');
    await project.saveFlow('flows/main.ygtc', text);
    expect(readFileSync(path.join(folder, 'flows', 'main.ygtc'), 'utf8')).toBe(text);
    expect(readdirSync(path.join(folder, 'flows')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('reports a missing folder clearly', async () => {
    await expect(Project.open(path.join(folder, 'nope'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
