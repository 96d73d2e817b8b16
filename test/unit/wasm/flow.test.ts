import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatHost } from '../../../src/runtime/chat/chat-host';
import { Project } from '../../../src/runtime/project/project';
import { DEFAULT_HTTP_POLICY } from '../../../src/runtime/components/wasm/services/http-client';
import { MemorySecretsStore } from '../../../src/runtime/components/wasm/services/secrets';
import { MemoryStateStore } from '../../../src/runtime/components/wasm/services/state';
import { projectComponents } from '../../../src/runtime/components/wasm/sources';
import { WasmComponentHost } from '../../../src/runtime/components/wasm/wasm-host';
import { tempDir, testComponents } from './support';

const FLOW = `id: main
title: Echo through WASM
type: messaging
start: shout
nodes:
  shout:
    component.exec:
      component: test.fixture.echo
      operation: echo
      input:
        said: "{{in.input.text}}"
    routing:
      - to: reply
  reply:
    emit.response:
      messages:
        - type: text
          text: "echo: {{prev.said}}"
    routing: out
`;

const TRAP_FLOW = `id: trap
type: messaging
start: boom
nodes:
  boom:
    component.exec:
      component: test.fixture.trapping
      operation: trap
      input: {}
    routing: out
`;

const dirs = tempDir();
let host: WasmComponentHost;
let chat: ChatHost;

beforeAll(async () => {
  const paths = await testComponents();
  const project = path.join(dirs.dir, 'project');
  mkdirSync(path.join(project, 'components'), { recursive: true });
  mkdirSync(path.join(project, 'flows'), { recursive: true });
  cpSync(paths.echo, path.join(project, 'components', 'echo.wasm'));
  cpSync(paths.echo.replace('.wasm', '.manifest.json'), path.join(project, 'components', 'echo.manifest.json'));
  cpSync(paths.trapping, path.join(project, 'components', 'trapping.wasm'));
  cpSync(paths.trapping.replace('.wasm', '.manifest.json'), path.join(project, 'components', 'trapping.manifest.json'));
  writeFileSync(path.join(project, 'flows', 'trap.ygtc'), TRAP_FLOW);
  writeFileSync(path.join(project, 'pack.yaml'), 'pack_id: test.wasm-flow\nversion: 0.1.0\nflows:\n  - id: main\n    file: flows/main.ygtc\n    entrypoints: [default]\n  - id: trap\n    file: flows/trap.ygtc\n');
  writeFileSync(path.join(project, 'flows', 'main.ygtc'), FLOW);
  host = new WasmComponentHost({ cacheDir: path.join(dirs.dir, 'cache'), poolSize: 1, http: DEFAULT_HTTP_POLICY, secrets: new MemorySecretsStore(), state: new MemoryStateStore() });
  host.setLocations(await projectComponents(project));
  chat = new ChatHost({ projects: { require: () => Project.open(project) }, componentHosts: [host] });
});

afterAll(async () => {
  await host.close();
  dirs.cleanup();
});

describe('a flow step backed by a WASM component', () => {
  it('runs the component in a chat turn and routes its output on', async () => {
    const { runtime } = await chat.project();
    const { conversationId } = await runtime.start({ flowPath: 'flows/main.ygtc' });
    const turn = await runtime.send(conversationId, { text: 'hello wasm' });
    expect(turn).toMatchObject({ status: 'completed', replies: [{ type: 'text', text: 'echo: hello wasm' }] });
  });

  it('fails the turn with the component error when the component traps, and keeps serving', async () => {
    const { runtime } = await chat.project();
    const trap = await runtime.start({ flowPath: 'flows/trap.ygtc' });
    const failed = await runtime.send(trap.conversationId, { text: 'go' });
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('component_trap');
    const echo = await runtime.start({ flowPath: 'flows/main.ygtc' });
    expect(await runtime.send(echo.conversationId, { text: 'still here' })).toMatchObject({ replies: [{ text: 'echo: still here' }] });
  });
});
