import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src/runtime/studio';
import { MemoryStateStore, ScratchStateStore } from '../../../src/runtime/sessions/state-store';
import { repoRoot } from '../../support/conformance';

const FLOW = 'flows/main.ygtc';
let studio: StudioService;

beforeAll(async () => {
  const project = mkdtempSync(path.join(tmpdir(), 'studio-run-node-'));
  cpSync(path.join(repoRoot, 'resources', 'sample-project'), project, { recursive: true });
  studio = new StudioService({ projectFolder: project, configDir: mkdtempSync(path.join(tmpdir(), 'studio-config-')) });
  await studio.handlers.openProject({ path: project });
  // Compiled once before the tests: a busy machine's first compile must not eat the node's wall time.
  await studio.handlers.listComponents({});
}, 120_000);

describe('running one node on its own', () => {
  it('runs a built-in node on the input given and says where the flow would go', async () => {
    const result = await studio.handlers.runNode({ flowPath: FLOW, nodeId: 'say_hello', input: { messages: [{ type: 'text', text: 'Hi Ada' }] } });
    expect(result).toMatchObject({ status: 'ok', flowId: 'main', nodeId: 'say_hello', next: { action: 'continue' }, replies: [{ type: 'text', text: 'Hi Ada' }] });
    const wait = await studio.handlers.runNode({ flowPath: FLOW, nodeId: 'wait_for_name', input: { reason: 'waiting for the name' } });
    expect(wait).toMatchObject({ status: 'ok', component: 'session.wait', next: { action: 'wait', reason: 'waiting for the name' } });
  });

  it('runs a WASM component node, with its logs', async () => {
    const result = await studio.handlers.runNode({ flowPath: FLOW, nodeId: 'shout', input: { input: 'quiet words' } });
    expect(result.status, JSON.stringify(result)).toBe('ok');
    expect(result).toMatchObject({ component: 'studio.sample.text-tools.shout', output: { text: 'QUIET WORDS' } });
    expect(result.logs.length).toBeGreaterThan(0);
  }, 60_000);

  it("reports a node's failure as its result, and an unknown node as not found", async () => {
    const failed = await studio.handlers.runNode({ flowPath: FLOW, nodeId: 'count', input: { input: 42 } });
    expect(failed.status).toBe('failed');
    if (failed.status === 'failed') expect(failed.error.message).toMatch(/\S/);
    await expect(studio.handlers.runNode({ flowPath: FLOW, nodeId: 'nowhere', input: {} })).rejects.toMatchObject({ code: 'not_found' });
  }, 60_000);

  it('touches no session: a parked conversation stays parked where it was', async () => {
    const { conversationId } = await studio.handlers.startConversation({ flowPath: FLOW });
    await studio.handlers.sendMessage({ conversationId, text: 'hi' });
    const before = await studio.handlers.inspectSession({ conversationId });
    expect(before?.parked?.nodeId).toBe('welcome');
    await studio.handlers.runNode({ flowPath: FLOW, nodeId: 'welcome', input: { messages: [{ type: 'text', text: 'x' }] } });
    const after = await studio.handlers.inspectSession({ conversationId });
    expect(after).toEqual(before);
    expect((await studio.handlers.listSessions({})).length).toBe(1);
  });
});

describe('the scratch state of a node run on its own', () => {
  it('reads the runner state and keeps its own writes and deletes to itself', async () => {
    const scope = { env: 'local', tenant: 'default' };
    const shared = new MemoryStateStore();
    await shared.set(scope, 'name', 'Ada');
    const scratch = new ScratchStateStore(shared);
    expect(await scratch.get(scope, 'name')).toEqual({ found: true, value: 'Ada' });
    await scratch.set(scope, 'name', 'Grace');
    expect(await scratch.get(scope, 'name')).toEqual({ found: true, value: 'Grace' });
    await scratch.delete(scope, 'name');
    expect(await scratch.get(scope, 'name')).toEqual({ found: false, value: null });
    expect(await shared.get(scope, 'name')).toEqual({ found: true, value: 'Ada' });
  });
});
