import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ChatHost } from '../../../src/runtime/chat/chat-host';
import { createDirectLine, type DirectLineOptions, type DirectLineServer } from '../../../src/runtime/channels/webchat';
import { Project } from '../../../src/runtime/project/project';
import { repoRoot } from '../../support/conformance';

export const sampleProject = path.join(repoRoot, 'resources', 'sample-project');

export interface DirectLineFixture {
  base: string;
  directLine: DirectLineServer;
  chat: ChatHost;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (free port) serving the Direct Line endpoint for a project. */
export async function startDirectLine(options: Partial<DirectLineOptions> = {}, folder = sampleProject): Promise<DirectLineFixture> {
  const chat = options.chat ?? new ChatHost({ projects: { require: () => Project.open(folder) } });
  const directLine = createDirectLine({ ...options, chat });
  const server = http.createServer((req, res) => {
    void directLine.handleRequest(req, res).then((handled) => {
      if (!handled) {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (!directLine.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/v3/directline`,
    directLine,
    chat,
    close: async () => {
      directLine.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function call(
  base: string,
  method: string,
  route: string,
  { bearer, body, headers = {} }: { bearer?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
