import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { encode } from 'cbor-x';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/shared/api/trace';
import { ChatHost } from '../../../src/runtime/chat/chat-host';
import { Project } from '../../../src/runtime/project/project';
import { projectHttpAllowList } from '../../../src/runtime/components/wasm/project-settings';
import { DEFAULT_HTTP_POLICY } from '../../../src/runtime/components/wasm/services/http-client';
import { MemorySecretsStore } from '../../../src/runtime/components/wasm/services/secrets';
import { JsonStateLayer } from '../../../src/runtime/components/wasm/services/state';
import { MemoryStateStore } from '../../../src/runtime/sessions/state-store';
import { projectComponents } from '../../../src/runtime/components/wasm/sources';
import { WasmComponentHost } from '../../../src/runtime/components/wasm/wasm-host';
import type { FixtureName } from '../../fixtures/components/build';
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

// The flow stores a value with state.set, the component reads it and stores its own, state.get reads that.
const STATE_FLOW = `id: state
type: messaging
start: remember
nodes:
  remember:
    state.set:
      key: value
      value:
        said: "{{in.input.text}}"
    routing:
      - to: read
  read:
    component.exec:
      component: test.fixture.stateful
      operation: get
      input: {}
    routing:
      - to: write
  write:
    component.exec:
      component: test.fixture.stateful
      operation: put
      input: '{"by": "component", "n": 2}'
    routing:
      - to: check
  check:
    state.get:
      key: value
    routing:
      - to: reply
  reply:
    emit.response:
      messages:
        - type: text
          text: "component read {{node.read}}; flow read {{node.check.value.by}} {{node.check.value.n}}"
    routing: out
`;

const CHATTY_FLOW = `id: chatty
type: messaging
start: talk
nodes:
  talk:
    component.exec:
      component: test.fixture.chatty
      operation: chat
      input: {}
    routing: out
`;

const HTTP_FLOW = `id: http
type: messaging
start: fetch
nodes:
  fetch:
    component.exec:
      component: test.fixture.http-caller
      operation: get
      input: "{{in.input.text}}"
    routing:
      - to: reply
  reply:
    emit.response:
      messages:
        - type: text
          text: "fetched {{prev.served}}"
    routing: out
`;

const COMPONENTS: FixtureName[] = ['echo', 'trapping', 'stateful', 'chatty', 'http-caller'];

const dirs = tempDir();
const project = path.join(dirs.dir, 'project');
const settingsFile = path.join(project, '.greentic-studio', 'settings.json');
const stateStore = new MemoryStateStore();
let host: WasmComponentHost;
let chat: ChatHost;
let server: Server;
let serverHost: string;

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/cbor' }).end(encode({ served: 'yes' })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const paths = await testComponents();
  mkdirSync(path.join(project, 'components'), { recursive: true });
  mkdirSync(path.join(project, 'flows'), { recursive: true });
  for (const name of COMPONENTS) {
    cpSync(paths[name], path.join(project, 'components', `${name}.wasm`));
    cpSync(paths[name].replace('.wasm', '.manifest.json'), path.join(project, 'components', `${name}.manifest.json`));
  }
  const flows = { main: FLOW, trap: TRAP_FLOW, state: STATE_FLOW, chatty: CHATTY_FLOW, http: HTTP_FLOW };
  for (const [id, text] of Object.entries(flows)) writeFileSync(path.join(project, 'flows', `${id}.ygtc`), text);
  const flowList = Object.keys(flows).map((id) => `  - id: ${id}\n    file: flows/${id}.ygtc\n${id === 'main' ? '    entrypoints: [default]\n' : ''}`);
  writeFileSync(path.join(project, 'pack.yaml'), `pack_id: test.wasm-flow\nversion: 0.1.0\nflows:\n${flowList.join('')}`);
  host = new WasmComponentHost({
    cacheDir: path.join(dirs.dir, 'cache'),
    poolSize: 1,
    http: { ...DEFAULT_HTTP_POLICY, allowHint: 'add it to http.allow in .greentic-studio/settings.json' },
    projectHttpAllow: projectHttpAllowList(async () => project),
    secrets: new MemorySecretsStore(),
    state: new JsonStateLayer(stateStore),
  });
  host.setLocations(await projectComponents(project));
  chat = new ChatHost({ projects: { require: () => Project.open(project) }, componentHosts: [host], stateStore });
});

afterAll(async () => {
  await host.close();
  await new Promise((resolve) => server.close(resolve));
  dirs.cleanup();
});

async function turn(flow: string, text: string) {
  const { runtime } = await chat.project();
  const { conversationId } = await runtime.start({ flowPath: `flows/${flow}.ygtc` });
  const result = await runtime.send(conversationId, { text });
  return { result, trace: runtime.trace(conversationId) };
}

function logsOf(trace: TraceEvent[]) {
  return trace.flatMap((event) => (event.type === 'node_log' ? [{ nodeId: event.nodeId, source: event.source, text: event.text }] : []));
}

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

  it('shares the flow state with the component state-store, per tenant', async () => {
    const { result } = await turn('state', 'hello state');
    expect(result).toMatchObject({ status: 'completed', replies: [{ type: 'text', text: 'component read {"said":"hello state"}; flow read component 2' }] });
    expect(await stateStore.get({ env: 'local', tenant: 'default' }, 'value')).toEqual({ found: true, value: { by: 'component', n: 2 } });
    expect(await stateStore.get({ env: 'local', tenant: 'other' }, 'value')).toEqual({ found: false, value: null });
  });

  it('puts what the component printed and logged into the trace of its node, between its start and end', async () => {
    const { result, trace } = await turn('chatty', 'hi');
    expect(result.status).toBe('completed');
    expect(logsOf(trace)).toEqual([
      { nodeId: 'talk', source: 'stdout', text: 'chatty starts\n' },
      { nodeId: 'talk', source: 'telemetry', text: 'event=invoked op=chat' },
      { nodeId: 'talk', source: 'stderr', text: 'chatty is done\n' },
    ]);
    const kinds = trace.filter((e) => 'nodeId' in e && e.nodeId === 'talk').map((e) => e.type);
    expect(kinds).toEqual(['node_start', 'call_start', 'node_log', 'node_log', 'node_log', 'call_end', 'node_end', 'route']);
  });

  it('refuses HTTP to hosts the project settings do not allow, and says so in the trace', async () => {
    rmSync(settingsFile, { force: true });
    const refused = await turn('http', `http://${serverHost}/`);
    expect(refused.result).toMatchObject({ status: 'failed', errorCode: 'component_error' });
    expect(refused.result.error).toContain(`${serverHost} is not in the HTTP allow-list (add it to http.allow in .greentic-studio/settings.json)`);
    expect(logsOf(refused.trace)).toEqual([{ nodeId: 'fetch', source: 'host', text: expect.stringContaining(`http.send refused: ${serverHost} is not in the HTTP allow-list`) }]);

    mkdirSync(path.dirname(settingsFile), { recursive: true });
    writeFileSync(settingsFile, JSON.stringify({ http: { allow: ['api.example.com', serverHost] } }));
    expect((await turn('http', `http://${serverHost}/`)).result).toMatchObject({ status: 'completed', replies: [{ text: 'fetched yes' }] });

    writeFileSync(settingsFile, JSON.stringify({ http: { allow: ['not a host!'] } }));
    const broken = await turn('http', `http://${serverHost}/`);
    expect(broken.result.status).toBe('failed');
    expect(logsOf(broken.trace)[0]?.text).toMatch(/refused until the project's settings are fixed: .*settings\.json: http\.allow\.0: a host rule is/);
  });
});
