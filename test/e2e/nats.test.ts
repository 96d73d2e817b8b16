import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificates } from '../support/certificates';
import { createOperatorSetup } from '../support/nats-operator';
import { NatsServer } from '../support/nats-server';
import { launchChromium, openPage } from './support/browser';
import { say } from './support/chat';
import { serveStudio, type ServedStudio } from './support/studio-server';

const USER = 'studio';
const PASSWORD = 'correct horse';

/** Creates a user/password profile through the form. */
async function createProfile(page: Page, name: string, url: string, password: string) {
  await page.getByRole('button', { name: 'New profile' }).click();
  const form = page.getByRole('form', { name: 'New profile' });
  await form.getByLabel('Profile name').fill(name);
  await form.getByLabel('Servers').fill(url);
  await form.getByLabel('Authentication').selectOption({ label: 'User and password' });
  await form.getByLabel('User', { exact: true }).fill(USER);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.getByRole('button', { name: 'Save profile' }).click();
  await page.getByRole('button', { name: `Connect with ${name}` }).waitFor();
}


const trafficRows = (page: Page) => page.getByTestId('traffic-message');

describe('the NATS workspace against a real nats-server', () => {
  let server: NatsServer;
  let studio: ServedStudio;
  let browser: Browser;
  let bystander: NatsConnection;

  beforeAll(async () => {
    [server, studio, browser] = await Promise.all([
      NatsServer.start({ auth: { mode: 'userpass', user: USER, password: PASSWORD } }),
      serveStudio(),
      launchChromium(),
    ]);
    bystander = await connect({ servers: server.url, user: USER, pass: PASSWORD });
  });
  afterAll(async () => {
    await bystander?.close();
    await browser?.close();
    await studio?.stop();
    await server?.dispose();
  });

  it('connects with a profile, serves the project, chats with it through NATS and shows that traffic', async () => {
    const page = await openPage(browser, studio.url, 'nats workspace journey');
    const status = page.getByTestId('nats-status');
    await expect.poll(() => status.textContent()).toBe('NATS: not connected');
    await status.click();
    await createProfile(page, 'local', server.url, PASSWORD);
    expect(await page.getByTestId('nats-profile').textContent()).toContain(`user ${USER}`);

    await page.getByRole('button', { name: 'Connect with local' }).click();
    await expect.poll(() => status.textContent()).toBe('NATS: connected · local');
    expect(await page.getByTestId('nats-connection-state').textContent()).toMatch(/^connected · local \(127\.0\.0\.1:\d+\)$/);

    // Serve the project, and talk to it from the chat panel as a remote runner: text and cards.
    const serve = page.getByRole('form', { name: 'Serve scope' });
    await serve.getByLabel('Tenant', { exact: true }).fill('demo');
    await serve.getByRole('button', { name: 'Start serving' }).click();
    await expect.poll(() => page.getByTestId('nats-serving').textContent()).toMatch(/greentic\.messaging\.ingress\.dev\.demo\.default\.\* in queue group greentic-runner with flows\/main\.ygtc/);

    await page.getByRole('button', { name: 'Flows', exact: true }).click();
    await page.getByRole('button', { name: /designer/ }).click();
    const settings = page.getByRole('form', { name: 'Conversation settings' });
    await settings.getByLabel('Runner', { exact: true }).selectOption({ label: 'Remote runner over NATS' });
    await settings.getByLabel('Env', { exact: true }).fill('dev');
    await settings.getByLabel('Tenant', { exact: true }).fill('demo');
    await settings.getByLabel('Team', { exact: true }).fill('default');
    await settings.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => page.getByRole('button', { name: /^NATS · dev\/demo\/default · designer$/ }).count()).toBe(1);

    await say(page, 'hi');
    await expect.poll(() => page.getByTestId('bot-message').first().textContent()).toBe('Hello! You said "hi". What\'s your name?');
    await say(page, 'Ada');
    await expect.poll(() => page.getByTestId('bot-message').nth(1).textContent()).toBe('Nice to meet you, Ada!');
    const menu = page.getByTestId('adaptive-card').first();
    await menu.waitFor();
    expect(await menu.textContent()).toContain('What would you like to know?');
    await menu.getByRole('button', { name: 'About' }).click();
    await expect.poll(() => page.getByTestId('adaptive-card').count()).toBe(2);
    expect(await page.getByTestId('adaptive-card').nth(1).textContent()).toContain('About Greentic Studio');
    expect(await page.getByTestId('user-message').last().textContent()).toBe('About');

    // That conversation in the traffic view: filtered, searched, paused, one message opened as JSON.
    await page.getByTestId('nats-status').click();
    // 3 ingress messages; 4 replies (two texts, two cards).
    await expect.poll(() => trafficRows(page).count()).toBe(7);
    await expect.poll(() => page.getByTestId('nats-served-turns').textContent()).toBe('3');
    expect(await page.getByRole('list', { name: 'Bridge events' }).textContent()).toMatch(/served \d turns?/);

    const filter = page.getByRole('form', { name: 'Traffic filter' });
    await filter.getByLabel('Direction', { exact: true }).selectOption('egress');
    await filter.getByLabel('Tenant', { exact: true }).fill('demo');
    await filter.getByRole('button', { name: 'Apply filter' }).click();
    await expect.poll(() => trafficRows(page).count()).toBe(4);
    expect(await trafficRows(page).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-direction')))).toEqual(['egress', 'egress', 'egress', 'egress']);
    await expect.poll(() => page.getByRole('region', { name: 'Traffic' }).locator('code').first().textContent()).toBe('greentic.messaging.egress.*.demo.*.*');

    // Other tenants' traffic stays out of the filtered view; the tenant's own comes in.
    bystander.publish('greentic.messaging.egress.dev.globex.default.webchat', JSON.stringify({ chat_id: 'x', kind: 'text', text: 'not for this view' }));
    bystander.publish('greentic.messaging.egress.dev.demo.default.slack', JSON.stringify({ chat_id: 'x', kind: 'text', text: 'from a bystander' }));
    await expect.poll(() => trafficRows(page).count()).toBe(5);
    expect(await trafficRows(page).first().textContent()).toContain('from a bystander');

    await page.getByLabel('Search traffic').fill('what would you like');
    await expect.poll(() => trafficRows(page).count()).toBe(1);
    expect(await trafficRows(page).textContent()).toContain('dev/demo/default/webchat');
    await page.getByLabel('Search traffic').fill('');

    await page.getByRole('button', { name: 'Pause' }).click();
    bystander.publish('greentic.messaging.egress.dev.demo.default.webchat', JSON.stringify({ chat_id: 'y', kind: 'text', text: 'while paused' }));
    await expect.poll(() => page.locator('.nats-paused').textContent()).toBe('Paused: 1 new message held');
    expect(await trafficRows(page).count()).toBe(5);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => trafficRows(page).count()).toBe(6);
    expect(await trafficRows(page).first().textContent()).toContain('while paused');

    await trafficRows(page).filter({ hasText: '[card]' }).last().click();
    const detail = page.getByRole('region', { name: 'Message' });
    expect(await detail.locator('code').first().textContent()).toBe('greentic.messaging.egress.dev.demo.default.webchat');
    const json = JSON.parse((await detail.locator('pre.json').textContent()) ?? '') as Record<string, unknown>;
    expect(json).toMatchObject({ kind: 'card', tenant: 'demo', platform: 'webchat', adaptive_card: { adaptive: { type: 'AdaptiveCard' } } });

    // Disconnecting ends the remote conversation, and the chat panel says so.
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => page.getByTestId('nats-status').textContent()).toBe('NATS: closed · local');
    await page.getByRole('button', { name: 'Flows', exact: true }).click();
    await expect.poll(() => page.getByTestId('system-message').last().textContent()).toMatch(/^The NATS connection closed/);
    expect(await page.getByLabel('Message').isDisabled()).toBe(true);
    await page.close();
  });

  it('says that the credentials were refused for a wrong password, and connects once the profile is fixed', async () => {
    const page = await openPage(browser, studio.url, 'nats wrong password');
    await page.getByRole('button', { name: 'NATS', exact: true }).click();
    await createProfile(page, 'wrong', server.url, 'not the password');
    await page.getByRole('button', { name: 'Connect with wrong' }).click();
    const problem = page.getByRole('region', { name: 'Connection' }).getByRole('alert');
    await expect.poll(() => problem.textContent()).toMatch(/^Authentication failed: the NATS server at nats:\/\/127\.0\.0\.1:\d+ rejected the credentials/);
    expect(await page.getByTestId('nats-status').textContent()).toBe('NATS: disconnected · wrong');

    // The stored password is never shown back; typing a new one replaces it.
    await page.getByRole('button', { name: 'Edit wrong' }).click();
    const password = page.getByRole('form', { name: 'Edit profile wrong' }).getByLabel('Password', { exact: true });
    expect(await password.inputValue()).toBe('');
    expect(await password.getAttribute('placeholder')).toBe('stored; leave empty to keep it');
    await password.fill(PASSWORD);
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('button', { name: 'Connect with wrong' }).click();
    await expect.poll(() => page.getByTestId('nats-status').textContent()).toBe('NATS: connected · wrong');
    expect(await problem.count()).toBe(0);
    await page.close();
  });

  it('connects with a credentials file and a TLS client certificate loaded from files, and deletes the profile', async () => {
    const certs = generateCertificates();
    const operator = await createOperatorSetup();
    const secure = await NatsServer.start({
      auth: operator.server,
      tls: { certFile: certs.server.cert.file, keyFile: certs.server.key.file, caFile: certs.ca.file, verifyClients: true },
    });
    const page = await openPage(browser, studio.url, 'nats creds and tls');
    try {
      await page.getByRole('button', { name: 'NATS', exact: true }).click();
      await page.getByRole('button', { name: 'New profile' }).click();
      const form = page.getByRole('form', { name: 'New profile' });
      await form.getByLabel('Profile name').fill('secure');
      await form.getByLabel('Servers').fill(secure.url);
      await form.getByLabel('Authentication').selectOption({ label: 'Credentials file (JWT and NKEY)' });
      await form.getByLabel('Load credentials from a file').setInputFiles({ name: 'user.creds', mimeType: 'text/plain', buffer: Buffer.from(operator.creds) });
      await form.getByLabel('Use TLS').check();
      await form.getByLabel('Load CA certificate from a file').setInputFiles(certs.ca.file);
      await form.getByLabel('Load client certificate from a file').setInputFiles(certs.client.cert.file);
      await form.getByLabel('Load client key from a file').setInputFiles(certs.client.key.file);
      await form.getByRole('button', { name: 'Save profile' }).click();

      const item = page.getByTestId('nats-profile').filter({ hasText: 'secure' });
      await expect.poll(() => item.textContent()).toContain(`credentials ${operator.userPublicKey.slice(0, 8)}… · TLS with client certificate`);
      await page.getByRole('button', { name: 'Connect with secure' }).click();
      await expect.poll(() => page.getByTestId('nats-status').textContent()).toBe('NATS: connected · secure');

      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Delete secure' }).click();
      await expect.poll(() => item.count()).toBe(0);
      await expect.poll(() => page.getByTestId('nats-status').textContent()).toBe('NATS: not connected');
      await page.reload();
      await page.getByRole('button', { name: 'NATS', exact: true }).click();
      // Once the profiles are listed, the status bar has the back end's status too (both load together).
      await expect.poll(() => page.getByTestId('nats-profile').filter({ hasText: 'wrong' }).count()).toBe(1);
      expect(await page.getByTestId('nats-status').textContent()).toBe('NATS: not connected');
    } finally {
      await page.close();
      await secure.dispose();
      certs.dispose();
    }
  });
});
