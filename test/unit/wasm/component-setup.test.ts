import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComponentHandlers } from '../../../src/runtime/components/wasm/handlers';
import { DEFAULT_HTTP_POLICY } from '../../../src/runtime/components/wasm/services/http-client';
import { MemorySecretsStore } from '../../../src/runtime/components/wasm/services/secrets';
import { JsonStateLayer } from '../../../src/runtime/components/wasm/services/state';
import { WasmComponentHost } from '../../../src/runtime/components/wasm/wasm-host';
import { StudioError } from '../../../src/shared/api/define';
import { readAppliedAnswers, readQaSpec } from '../../../src/shared/flow';
import { MemoryStateStore } from '../../../src/runtime/sessions/state-store';
import { hasConformance } from '../../support/conformance';
import { INCIDENT_COMPONENT, incidentProject } from '../../support/incident-project';
import { tempDir } from './support';

describe.skipIf(!hasConformance)("a 0.6 component's own setup questions (upstream's incident component)", () => {
  const dirs = tempDir();
  let root: string;
  let host: WasmComponentHost;
  let handlers: ReturnType<typeof createComponentHandlers>;

  beforeAll(async () => {
    root = (await incidentProject()).root;
    host = new WasmComponentHost({ cacheDir: path.join(dirs.dir, 'cache'), poolSize: 1, http: DEFAULT_HTTP_POLICY, secrets: new MemorySecretsStore(), state: new JsonStateLayer(new MemoryStateStore()) });
    handlers = createComponentHandlers({ host, secrets: new MemorySecretsStore(), projectRoot: () => Promise.resolve(root) });
  });
  afterAll(async () => {
    await host.close();
    dirs.cleanup();
    rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it('reads the questions its qa-spec operation asks: ids, kinds, required, labels without a translation shown by id', async () => {
    const described = await handlers.describeComponent({ id: INCIDENT_COMPONENT });
    expect(described.operations.map((op) => op.name)).toEqual(expect.arrayContaining(['qa-spec', 'apply-answers']));
    const spec = readQaSpec((await handlers.componentQaSpec({ component: INCIDENT_COMPONENT, mode: 'setup' })).output);
    expect(spec.questions).toEqual([
      { id: 'api_key', prompt: 'api_key', kind: 'string', required: true, choices: [] },
      { id: 'region', prompt: 'region', kind: 'string', required: true, choices: [] },
      { id: 'webhook_base_url', prompt: 'webhook_base_url', kind: 'string', required: true, choices: [] },
      { id: 'enabled', prompt: 'enabled', kind: 'string', required: false, choices: [] },
    ]);
  });

  it("turns answers into the configuration with apply-answers, keeping what the step had, and reports the component's refusals", async () => {
    const applied = readAppliedAnswers(
      (await handlers.applyComponentAnswers({ component: INCIDENT_COMPONENT, mode: 'setup', currentConfig: { kept: 1 }, answers: { api_key: 'k', region: 'eu', webhook_base_url: 'https://hooks.example' } })).output,
    );
    expect(applied).toEqual({ ok: true, config: { kept: 1, api_key: 'k', region: 'eu', webhook_base_url: 'https://hooks.example' }, warnings: [] });
    const refused = readAppliedAnswers((await handlers.applyComponentAnswers({ component: INCIDENT_COMPONENT, mode: 'setup', currentConfig: {}, answers: { api_key: 'k' } })).output);
    expect(refused).toEqual({ ok: false, problems: ['qa.error.required (region)', 'qa.error.required (webhook_base_url)'] });
  });

  it('names a component the project does not have', async () => {
    await expect(handlers.componentQaSpec({ component: 'acme.nowhere', mode: 'setup' })).rejects.toThrow(StudioError);
  });
});

describe('qa-spec and apply-answers answers that are not what upstream defines', () => {
  it('are refused with what is wrong, not half read', () => {
    expect(() => readQaSpec({ mode: 'setup' })).toThrow("the component's qa-spec is not a QA spec (no questions list)");
    expect(() => readQaSpec({ questions: [{ label: { key: 'x' } }] })).toThrow('qa-spec question 1 has no id');
    expect(readQaSpec({ title: { key: 't', fallback: 'Connect' }, questions: [{ id: 'tier', kind: { type: 'choice', options: [{ value: 'free', label: { key: 'f' } }, { value: 'pro' }] }, required: true }], defaults: { tier: 'free' } })).toEqual({
      title: 'Connect',
      description: null,
      questions: [{ id: 'tier', prompt: 'tier', kind: 'choice', required: true, choices: ['free', 'pro'], default: 'free' }],
    });
    expect(readAppliedAnswers('nope')).toEqual({ ok: false, problems: ['the component answered apply-answers with something that is not a result'] });
    expect(readAppliedAnswers({ ok: true })).toEqual({ ok: false, problems: ['the component answered apply-answers without a config'] });
    expect(readAppliedAnswers({ ok: false })).toEqual({ ok: false, problems: ['the component refused the answers'] });
  });
});
