import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { encode } from 'cbor-x';
import { ChatHost } from '../../../src/runtime/chat/chat-host';
import { projectHttpAllowList } from '../../../src/runtime/components/wasm/project-settings';
import { DEFAULT_HTTP_POLICY } from '../../../src/runtime/components/wasm/services/http-client';
import { MemorySecretsStore } from '../../../src/runtime/components/wasm/services/secrets';
import { JsonStateLayer } from '../../../src/runtime/components/wasm/services/state';
import { projectComponents } from '../../../src/runtime/components/wasm/sources';
import { WasmComponentHost } from '../../../src/runtime/components/wasm/wasm-host';
import { Project } from '../../../src/runtime/project/project';
import { MemoryStateStore } from '../../../src/runtime/sessions/state-store';
import { telemetryConfig } from '../../../src/runtime/telemetry/config';
import { Telemetry, type TelemetryOptions } from '../../../src/runtime/telemetry/telemetry';
import { testComponents } from '../wasm/support';

/**
 * A conversation for tracing: turn one runs a template, calls a sub-flow, fetches a URL through a
 * WASM component and parks; turn two runs a component that traps, so the turn fails.
 */
export const CONVERSATION_FLOW = `id: main
type: messaging
start: greet
nodes:
  greet:
    templating.handlebars:
      text: "hello {{in.input.text}}"
    routing:
      - to: call
  call:
    flow.call:
      flow_id: helper
      input: { n: 1 }
    routing:
      - to: fetch
  fetch:
    component.exec:
      component: test.fixture.http-caller
      operation: get
      input: "{{in.input.text}}"
    routing:
      - to: ask
  ask:
    emit.response:
      messages:
        - type: text
          text: "fetched {{prev.served}}; what next?"
    routing:
      - to: wait_name
  wait_name:
    session.wait:
      reason: waiting for a name
    routing:
      - to: boom
  boom:
    component.exec:
      component: test.fixture.trapping
      operation: trap
      input: {}
    routing: out
`;

export const HELPER_FLOW = `id: helper
type: messaging
start: inner
nodes:
  inner:
    templating.handlebars:
      text: "helped {{in.n}}"
    routing: out
`;

/** A web server the component fetches from; it remembers the trace context of every request. */
export class TracedWebServer {
  private constructor(
    private readonly server: Server,
    readonly origin: string,
    readonly traceparents: string[],
  ) {}

  static async start(): Promise<TracedWebServer> {
    const traceparents: string[] = [];
    const server = createServer((req, res) => {
      traceparents.push(String(req.headers.traceparent ?? ''));
      res.writeHead(200, { 'content-type': 'application/cbor' }).end(encode({ served: 'yes' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new TracedWebServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, traceparents);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface TracedRunner {
  chat: ChatHost;
  host: WasmComponentHost;
  telemetry: () => Telemetry | null;
  use(telemetry: Telemetry | null): void;
  close(): Promise<void>;
}

/** A project with the conversation flow and the WASM fixtures, run by a chat host whose telemetry the test sets. */
export async function tracedRunner(allowHost: string): Promise<TracedRunner> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gs-telemetry-'));
  const project = path.join(dir, 'project');
  mkdirSync(path.join(project, 'components'), { recursive: true });
  mkdirSync(path.join(project, 'flows'), { recursive: true });
  mkdirSync(path.join(project, '.greentic-studio'), { recursive: true });
  const paths = await testComponents();
  for (const name of ['http-caller', 'trapping'] as const) {
    cpSync(paths[name], path.join(project, 'components', `${name}.wasm`));
    cpSync(paths[name].replace('.wasm', '.manifest.json'), path.join(project, 'components', `${name}.manifest.json`));
  }
  writeFileSync(path.join(project, 'flows', 'main.ygtc'), CONVERSATION_FLOW);
  writeFileSync(path.join(project, 'flows', 'helper.ygtc'), HELPER_FLOW);
  writeFileSync(
    path.join(project, 'pack.yaml'),
    'pack_id: test.telemetry\nversion: 0.1.0\nflows:\n  - id: main\n    file: flows/main.ygtc\n    entrypoints: [default]\n  - id: helper\n    file: flows/helper.ygtc\n',
  );
  writeFileSync(path.join(project, '.greentic-studio', 'settings.json'), JSON.stringify({ http: { allow: [allowHost] } }));
  let current: Telemetry | null = null;
  const telemetry = () => current;
  const stateStore = new MemoryStateStore();
  const host = new WasmComponentHost({
    cacheDir: path.join(dir, 'cache'),
    poolSize: 1,
    http: DEFAULT_HTTP_POLICY,
    projectHttpAllow: projectHttpAllowList(async () => project),
    outgoingHttp: () => current?.outgoingHttp ?? null,
    secrets: new MemorySecretsStore(),
    state: new JsonStateLayer(stateStore),
  });
  host.setLocations(await projectComponents(project));
  const chat = new ChatHost({ projects: { require: () => Project.open(project) }, componentHosts: [host], stateStore, telemetry, engine: { turnWallTimeMs: 120_000 } });
  return {
    chat,
    host,
    telemetry,
    use: (next) => {
      current = next;
    },
    close: async () => {
      await current?.shutdown();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Telemetry exporting to `endpoint` with a short batch delay, as a test wants it. */
export function exportingTo(endpoint: string, env: Record<string, string> = {}, options: TelemetryOptions = {}): Telemetry {
  return new Telemetry(telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_SERVICE_NAME: 'studio-under-test', ...env }), options);
}
