import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../src/runtime/sessions/redis-connection';
import { RedisSessionStore } from '../../src/runtime/sessions/redis-session-store';
import { closedPort } from '../support/closed-port';
import { RedisServer } from '../support/redis-server';
import { seriousViolations } from './support/axe';
import { launchChromium, openPage } from './support/browser';
import { say } from './support/chat';
import { canvasOpened } from './support/editor';
import { copySampleProject, serveStudio, type ServedStudio } from './support/studio-server';

const PASSWORD = 'studio sessions secret';
const NAMESPACE = 'greentic:session:local';

let redis: RedisServer;
let browser: Browser;
let studio: ServedStudio | null = null;
const configDir = mkdtempSync(path.join(tmpdir(), 'studio-e2e-config-'));
const project = copySampleProject();

beforeAll(async () => {
  [redis, browser] = await Promise.all([RedisServer.start({ password: PASSWORD }), launchChromium()]);
  studio = await serveStudio(project, [], configDir);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
  await redis?.dispose();
});

async function openSessionTab(page: Page): Promise<void> {
  // Chosen once the project's flow is open: a click while the studio is still opening it can be lost.
  await canvasOpened(page);
  await page.getByRole('tab', { name: 'Session' }).click();
  await page.getByTestId('session-store').waitFor({ timeout: 30_000 });
}

async function chooseStore(page: Page, store: string): Promise<void> {
  await page.getByRole('button', { name: 'Change session store…' }).click();
  const form = page.getByRole('form', { name: 'Session store' });
  await form.getByLabel('Session store URL').fill(store);
  await form.getByRole('button', { name: 'Use this store' }).click();
}

async function sessionKeys(): Promise<string[]> {
  const client = createClient({ url: redis.url() });
  await client.connect();
  try {
    return (await client.keys(`${NAMESPACE}:session:*`)).sort();
  } finally {
    await client.close();
  }
}

describe("the embedded runner's sessions in Redis, chosen in the studio (web mode, Chromium, real redis-server)", () => {
  it('refuses an unreachable server, keeps sessions in Redis once chosen, lists the shared ones, and remembers the choice after a restart', async () => {
    let page = await openPage(browser, studio!.url, 'runner sessions in redis', { bypassCSP: true });
    await openSessionTab(page);
    expect(await page.getByTestId('session-store').textContent()).toContain('kept in memory');

    const nowhere = `redis://127.0.0.1:${await closedPort()}`;
    await chooseStore(page, nowhere);
    const form = page.getByRole('form', { name: 'Session store' });
    await expect.poll(() => form.getByRole('alert').textContent(), { timeout: 30_000 }).toContain('cannot use the Redis session store');
    expect(await form.getByRole('alert').textContent()).toContain(nowhere);
    expect(await page.getByTestId('session-store').textContent()).toContain('kept in memory');
    expect(await seriousViolations(page)).toEqual([]);
    await form.getByLabel('Session store URL').press('Escape');
    await expect.poll(() => form.count()).toBe(0);

    await chooseStore(page, redis.url());
    await expect.poll(() => page.getByTestId('session-store').textContent(), { timeout: 30_000 }).toContain(`Redis at redis://:***@127.0.0.1:${redis.port}`);
    expect(await page.getByTestId('session-store').textContent()).toContain(`namespace ${NAMESPACE}`);

    await say(page, 'hi');
    await expect.poll(() => page.getByTestId('parked-node').textContent(), { timeout: 30_000 }).toBe('main/welcome');
    const keys = await sessionKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${NAMESPACE}:session:demo:studio:[^:]+:designer$`));
    await expect.poll(() => page.getByTestId('stored-session').allTextContents()).toEqual([expect.stringContaining('waits at welcome')]);

    // Another runner on the same Redis parks a conversation of its own: the inspector lists it too.
    const other = await RedisSessionStore.open(parseRedisUrl(redis.url()), { namespace: NAMESPACE });
    const scope = { env: 'local', tenant: 'acme', provider: 'webchat', conversation: 'elsewhere', user: 'ada' };
    const turn = await other.openTurn(scope);
    await turn.commit({ update: { flowId: 'main', snapshot: null } });
    await other.close();
    await page.getByRole('button', { name: 'Refresh the sessions in the store' }).click();
    await expect.poll(() => page.getByTestId('stored-session').count()).toBe(2);
    expect((await page.getByTestId('stored-session').allTextContents()).join('\n')).toContain('acme:webchat:elsewhere:ada');

    // The password is sealed, never written in the clear.
    expect(readFileSync(path.join(configDir, 'runner-settings.json'), 'utf8')).not.toContain(PASSWORD);
    expect(readFileSync(path.join(configDir, 'runner-secrets.json'), 'utf8')).not.toContain(PASSWORD);
    await page.close();

    await studio!.stop();
    studio = await serveStudio(project, [], configDir);
    expect(studio.ready.sessions).toMatchObject({ backend: 'redis', namespace: NAMESPACE });
    page = await openPage(browser, studio.url, 'runner sessions after restart');
    await openSessionTab(page);
    expect(await page.getByTestId('session-store').textContent()).toContain(`Redis at redis://:***@127.0.0.1:${redis.port}`);
    // The sessions outlived the studio: they were in Redis, not in its memory.
    await expect.poll(() => page.getByTestId('stored-session').count()).toBe(2);
    await page.close();
  }, 180_000);

  it('says plainly that the saved Redis cannot be reached at start, never falls back to memory, and runs again once memory is chosen', async () => {
    await studio!.stop();
    await redis.stop();
    studio = await serveStudio(project, [], configDir);
    const page = await openPage(browser, studio.url, 'runner sessions redis unreachable');
    await openSessionTab(page);
    expect(await page.getByTestId('session-store-problem').textContent()).toMatch(new RegExp(`sessions cannot be kept: .*127\\.0\\.0\\.1:${redis.port}`));
    expect(await page.getByTestId('session-store').textContent()).toContain('Redis at');

    await say(page, 'hi');
    await expect.poll(() => page.locator('.bubble.error').textContent(), { timeout: 30_000 }).toContain('sessions cannot be kept');
    expect(await page.getByTestId('bot-message').count()).toBe(0);

    await chooseStore(page, 'memory');
    await expect.poll(() => page.getByTestId('session-store').textContent(), { timeout: 30_000 }).toContain('kept in memory');
    expect(await page.getByTestId('session-store-problem').count()).toBe(0);
    await say(page, 'hi');
    await expect.poll(() => page.getByTestId('bot-message').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.close();
  }, 180_000);
});
