import { describe, expect, it } from 'vitest';
import { openPage } from './support/browser';
import { canvasNodeIds, canvasOpened } from './support/editor';
import { useSampleStudio } from './support/sample-session';

const session = useSampleStudio();

describe('the studio in a browser (web mode)', () => {
  it('prints one ready line with the UI address and port', () => {
    expect(session.studio.ready).toMatchObject({ event: 'ready', port: session.studio.port });
    expect(session.studio.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${session.studio.port}/\\?token=.+`));
  });

  it('serves Direct Line beside the UI, behind its own secret', async () => {
    expect(session.studio.ready.directline).toBe(`http://127.0.0.1:${session.studio.port}/v3/directline`);
    const secret = String(session.studio.ready.secret);
    expect(secret.length).toBeGreaterThan(16);
    const refused = await fetch(`${String(session.studio.ready.directline)}/conversations`, { method: 'POST' });
    expect(refused.status).toBe(401);
    const started = await fetch(`${String(session.studio.ready.directline)}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${secret}` } });
    expect(started.status).toBe(201);
    expect(await started.json()).toMatchObject({ conversationId: expect.any(String), token: expect.any(String), streamUrl: expect.stringMatching(/^ws:/) });
  });

  it('refuses the UI without the token', async () => {
    const res = await fetch(`http://127.0.0.1:${session.studio.port}/`);
    expect(res.status).toBe(401);
  });

  it('opens the sample project and draws its flow: one box per node, one edge per route', async () => {
    const page = await openPage(session.browser, session.studio.url, 'sample flow on canvas');
    await canvasOpened(page);
    await expect.poll(() => canvasNodeIds(page)).toEqual(['about', 'count', 'greet', 'help', 'menu', 'say_hello', 'shout', 'shouted', 'text_tools', 'wait_for_name', 'wait_for_text', 'welcome']);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(12);
    await page.close();
  });

  it('answers "hi" in the chat panel with the reply the flow computes', async () => {
    const page = await openPage(session.browser, session.studio.url, 'chat hi');
    const input = page.getByLabel('Message');
    await expect.poll(() => input.isEnabled()).toBe(true);
    await input.fill('hi');
    await input.press('Enter');
    const reply = page.getByTestId('bot-message').first();
    await reply.waitFor();
    expect(await reply.textContent()).toBe('Hello! You said "hi". What\'s your name?');

    await input.fill('Ada');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('bot-message').nth(1).textContent()).toBe('Nice to meet you, Ada!');
    await page.close();
  });
});
