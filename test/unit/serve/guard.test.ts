import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { guardRequests, guardUpgrades, type RequestHandler, type UpgradeHandler } from '../../../src/runtime/http/guard';
import { HttpError } from '../../../src/runtime/http/http-error';
import { plainRequest, rawExchange, upgradeRequest } from '../../support/raw-http';

let server: http.Server | undefined;

async function serve(onRequest: RequestHandler, onUpgrade: UpgradeHandler, logged: string[]): Promise<number> {
  server = http.createServer(guardRequests(onRequest, (message) => logged.push(message)));
  server.on('upgrade', guardUpgrades(onUpgrade, (message) => logged.push(message)));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('request and upgrade guards', () => {
  it('answer an HttpError with its status and body, logging nothing', async () => {
    const logged: string[] = [];
    const refuse = () => {
      throw new HttpError(422, 'unprocessable', 'no such thing');
    };
    const port = await serve(refuse, refuse, logged);
    const answer = await rawExchange(port, plainRequest('GET', '/x'));
    expect(answer.status).toBe(422);
    expect(answer.text).toContain('{"error":"unprocessable","message":"no such thing"}');
    const upgrade = await rawExchange(port, upgradeRequest('/x'));
    expect(upgrade.status).toBe(422);
    expect(upgrade.text).toMatch(/Connection: close/);
    expect(logged).toEqual([]);
  });

  it('turn any other failure, thrown or rejected, into a logged 500 without its details and keep serving', async () => {
    const logged: string[] = [];
    let calls = 0;
    const fail: RequestHandler = async () => {
      calls += 1;
      if (calls % 2) throw new TypeError('secret detail');
      await Promise.reject(new Error('async detail'));
    };
    const failUpgrade: UpgradeHandler = () => {
      throw new RangeError('upgrade detail');
    };
    const port = await serve(fail, failUpgrade, logged);
    for (const request of [plainRequest('GET', '/a'), plainRequest('POST', '/b', {}, '{}')]) {
      const answer = await rawExchange(port, request);
      expect(answer.status).toBe(500);
      expect(answer.text).not.toMatch(/detail/);
    }
    expect((await rawExchange(port, upgradeRequest('/c'))).status).toBe(500);
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(/GET "\/a": TypeError: secret detail/);
    expect(logged[1]).toMatch(/POST "\/b": Error: async detail/);
    expect(logged[2]).toMatch(/RangeError: upgrade detail/);
  });

  it('end the connection when a handler fails after its answer has begun', async () => {
    const logged: string[] = [];
    const port = await serve(
      async (_req, res) => {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        throw new Error('broke midway');
      },
      () => undefined,
      logged,
    );
    const answer = await rawExchange(port, plainRequest('GET', '/'));
    expect(answer.status).toBe(200);
    expect(answer.text.endsWith('partial')).toBe(true);
    expect(logged).toHaveLength(1);
  });
});
