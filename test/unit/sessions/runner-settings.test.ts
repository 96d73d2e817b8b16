import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyFileCipher } from '../../../src/runtime/connections/key-file-cipher';
import { EncryptedFileVault } from '../../../src/runtime/connections/vault';
import { RunnerSettingsService } from '../../../src/runtime/runner-settings/runner-settings';
import { SavedRunnerSettings } from '../../../src/runtime/runner-settings/saved-settings';
import { MemorySessionStore } from '../../../src/runtime/sessions/memory-session-store';
import { SessionStoreUnavailableError } from '../../../src/runtime/sessions/session-store';
import { SwitchableSessionStore } from '../../../src/runtime/sessions/switchable-session-store';
import { closedPort } from '../../support/closed-port';
import { RedisServer } from '../../support/redis-server';

const scope = { env: 'local', tenant: 'demo', provider: 'studio', conversation: 'c1', user: 'ada' };
let redis: RedisServer;

beforeAll(async () => {
  redis = await RedisServer.start({ password: 'runner-secret' });
}, 60_000);
afterAll(async () => {
  await redis?.dispose();
});

function chosen(dir = mkdtempSync(path.join(tmpdir(), 'runner-settings-'))) {
  const store = new SwitchableSessionStore();
  const saved = new SavedRunnerSettings(path.join(dir, 'runner-settings.json'), new EncryptedFileVault(path.join(dir, 'secrets.json'), new KeyFileCipher(path.join(dir, 'secrets.key'))));
  return { dir, store, service: new RunnerSettingsService({ kind: 'chosen', store, saved, env: 'local' }) };
}

describe("the embedded runner's session store setting", () => {
  it('refuses a URL that is not a store, and an unreachable Redis, keeping the store in use', async () => {
    const { service, store } = chosen();
    await store.save(scope, { flowId: 'main', snapshot: null }, null);
    await expect(service.choose('postgres://db')).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining("the session store must be 'memory' or a Redis URL") });
    const port = await closedPort();
    await expect(service.choose(`redis://127.0.0.1:${port}`)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining(`127.0.0.1:${port}`) });
    expect(service.settings().sessions).toEqual({ store: { backend: 'memory' }, fixed: false, problem: null });
    expect(await store.get(scope)).not.toBeNull();
  });

  it('switches to Redis, seals the URL, and opens it again from the saved settings', async () => {
    const first = chosen();
    const settings = await first.service.choose(redis.url());
    expect(settings.sessions.store).toEqual({ backend: 'redis', url: `redis://:***@127.0.0.1:${redis.port}`, namespace: 'greentic:session:local' });
    await first.store.save(scope, { flowId: 'main', snapshot: null }, null);
    expect(readFileSync(path.join(first.dir, 'runner-settings.json'), 'utf8')).not.toContain('runner-secret');
    expect(readFileSync(path.join(first.dir, 'secrets.json'), 'utf8')).not.toContain('runner-secret');
    await first.store.close();

    const again = chosen(first.dir);
    expect((await again.service.applySaved()).sessions).toMatchObject({ store: { backend: 'redis' }, problem: null });
    expect((await again.store.get(scope))?.flowId).toBe('main');
    await again.store.close();
  });

  it('reports a saved Redis that cannot be reached, and fails every call instead of using memory', async () => {
    const { dir, service } = chosen();
    const port = await closedPort();
    await new SavedRunnerSettings(path.join(dir, 'runner-settings.json'), new EncryptedFileVault(path.join(dir, 'secrets.json'), new KeyFileCipher(path.join(dir, 'secrets.key')))).saveSessions(`redis://127.0.0.1:${port}`);
    const again = chosen(dir);
    const { sessions } = await again.service.applySaved();
    expect(sessions.store).toMatchObject({ backend: 'redis', url: `redis://127.0.0.1:${port}` });
    expect(sessions.problem).toContain(`127.0.0.1:${port}`);
    await expect(again.store.get(scope)).rejects.toBeInstanceOf(SessionStoreUnavailableError);
    expect(service.settings().sessions.problem).toBeNull();
  });

  it('cannot change a store fixed on the command line', async () => {
    const service = new RunnerSettingsService({ kind: 'fixed', store: new MemorySessionStore() });
    expect(service.settings().sessions.fixed).toBe(true);
    await expect(service.choose('memory')).rejects.toMatchObject({ code: 'forbidden' });
  });
});
