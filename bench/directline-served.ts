/**
 * The 5-node flow served as `greentic-studio serve` serves a project (the studio's HTTP server with
 * the Direct Line mount over the StudioService), and the Direct Line load played against it from
 * bench/directline-load-client.ts in a child process, so that what is measured is the server's.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDirectLine, DIRECTLINE_PREFIX } from '../src/runtime/channels/webchat';
import { startStudioServer } from '../src/runtime/http/server';
import { generateToken } from '../src/runtime/http/token';
import { StudioService } from '../src/runtime/studio';
import type { TelemetrySwitch } from '../src/runtime/telemetry/telemetry-switch';
import type { LoadRequest, LoadResult } from './directline-load-client';
import { FIVE_NODE_FLOW } from './runner-flow';

const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'directline-load-client.ts');

export interface ServedBenchProject {
  directline: string;
  secret: string;
  close(): Promise<void>;
}

/** A project with the 5-node flow, served with Direct Line as `serve` does (with the runner's telemetry when given); a fresh one per scenario. */
export async function serveBenchProject(telemetry?: TelemetrySwitch): Promise<ServedBenchProject> {
  const root = mkdtempSync(path.join(tmpdir(), 'bench-dl-'));
  mkdirSync(path.join(root, 'flows'));
  writeFileSync(path.join(root, 'flows', 'bench.ygtc'), FIVE_NODE_FLOW);
  const configDir = mkdtempSync(path.join(tmpdir(), 'bench-dl-config-'));
  const studio = new StudioService({ projectFolder: root, configDir, ...(telemetry ? { telemetry } : {}) });
  await studio.handlers.openProject({ path: root });
  const directLine = createDirectLine({ chat: studio.chat, autoStartOnOpen: false, maxConversations: 2_000, ...(telemetry ? { telemetry: telemetry.current } : {}) });
  const server = await startStudioServer({
    host: '127.0.0.1',
    port: 0,
    token: generateToken(),
    uiDir: null,
    handlers: studio.handlers,
    events: studio.events,
    mounts: [directLine],
  });
  return {
    directline: `${server.origin}${DIRECTLINE_PREFIX}`,
    secret: directLine.secret,
    close: async () => {
      await server.close();
      studio.projects.close();
      rmSync(root, { recursive: true, force: true });
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

/** Plays `request` from a child process and resolves with what it measured. */
export function playFromChild(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CLIENT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | null = null;
    child.once('message', (message) => (result = message as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the load client exited with code ${code}`))));
    child.send(request);
  });
}
