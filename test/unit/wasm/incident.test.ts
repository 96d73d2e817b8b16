import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_POLICY } from '../../../src/runtime/components/wasm/services/http-client';
import { MemorySecretsStore } from '../../../src/runtime/components/wasm/services/secrets';
import { JsonStateLayer } from '../../../src/runtime/components/wasm/services/state';
import { MemoryStateStore } from '../../../src/runtime/sessions/state-store';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { locateFile, packComponent } from '../../../src/runtime/components/wasm/sources';
import { WasmComponentHost } from '../../../src/runtime/components/wasm/wasm-host';
import { hasConformance } from '../../support/conformance';
import { INCIDENT_ID, incidentPack, invocation, tempDir, tenantCtx } from './support';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

describe.skipIf(!hasConformance)('the upstream incident component', () => {
  const cacheDir = tempDir();
  const secrets = new MemorySecretsStore();
  const received: Received[] = [];
  let server: Server;
  let host: WasmComponentHost;

  beforeAll(async () => {
    // Stands in for https://uptime.betterstack.com, which the component calls.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { id: '9001', type: 'incident' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    host = new WasmComponentHost({
      cacheDir: cacheDir.dir,
      poolSize: 1,
      http: { ...DEFAULT_HTTP_POLICY, allow: ['uptime.betterstack.com'], rewrites: { 'https://uptime.betterstack.com': local } },
      secrets,
      state: new JsonStateLayer(new MemoryStateStore()),
    });
    host.setLocations([packComponent(incidentPack(), INCIDENT_ID)]);
  });

  afterAll(async () => {
    await host.close();
    await new Promise((resolve) => server.close(resolve));
    cacheDir.cleanup();
  });

  it('is loaded from the pack as a 0.6 component importing http-client and secrets-store', async () => {
    const component = await host.prepare(INCIDENT_ID);
    expect(component.transpiled.abi).toBe('0.6');
    expect(component.transpiled.imports).toEqual(expect.arrayContaining(['greentic:http/http-client', 'greentic:secrets-store/secrets-store']));
    expect(component.unserved).toEqual([]);
    expect(component.grants.secrets).toEqual(['betterstack_token']);
    const description = await host.describe(INCIDENT_ID);
    expect(description?.operations.map((op) => op.name)).toEqual(['create-incident', 'qa-spec', 'apply-answers', 'i18n-keys']);
    expect(description?.operations[0]?.inputSchema).toMatchObject({ type: 'object', properties: { name: { type: 'string' } } });
  });

  it('also runs from a plain .wasm file extracted from the pack', async () => {
    const file = path.join(cacheDir.dir, 'incident.wasm');
    writeFileSync(file, await extractEntry(incidentPack(), `components/${INCIDENT_ID}.wasm`));
    const location = await locateFile(file);
    host.addLocation(location);
    const component = await host.prepare(location.id);
    expect(component.transpiled.hash).toBe('63a25cad0a75c146f40ea644684e4845f745d4138edbe5bf8fdb9c564711f69b');
    expect(component.manifest).toBeNull();
    expect((await host.describe(location.id))?.version).toBe('0.1.0');
  });

  it('reports the missing secret in its output, as upstream does', async () => {
    const outcome = await host.invoke(invocation(INCIDENT_ID, 'create-incident', { name: 'Disk full' }, { ctx: tenantCtx({ tenant: 'default' }) }));
    expect(outcome).toMatchObject({ ok: true, output: { ok: false, status: 500 } });
    expect(JSON.stringify(outcome)).toContain('not-found');
    expect(received).toEqual([]);
  });

  it('creates an incident through the HTTP import with the secret from the dev store', async () => {
    await secrets.put('default', 'betterstack_token', new TextEncoder().encode('dev-token'));
    const outcome = await host.invoke(invocation(INCIDENT_ID, 'create-incident', { name: 'Disk full' }, { ctx: tenantCtx({ tenant: 'default' }) }));
    expect(outcome).toEqual({ ok: true, output: { ok: true, status: 201, response: { data: { id: '9001', type: 'incident' } }, incident_id: '9001' } });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', path: '/api/v3/incidents', headers: { authorization: 'Bearer dev-token' }, body: { name: 'Disk full' } });
  });
});

function extractEntry(zipFile: string, entryPath: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipFile, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== entryPath) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks));
          });
        });
      });
      zip.on('end', () => reject(new Error(`${entryPath} not in ${zipFile}`)));
      zip.readEntry();
    });
  });
}
