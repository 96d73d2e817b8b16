import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPage } from './support/browser';
import { reachTextTools, say } from './support/chat';
import { useSampleStudio } from './support/sample-session';

const session = useSampleStudio();

describe('live testing in the chat panel', () => {
  it('parks at session.wait, renders the menu card, and answers its submit', async () => {
    const page = await openPage(session.browser, session.studio.url, 'live test card submit');
    await say(page, 'hi');
    await page.getByTestId('bot-message').first().waitFor();

    await page.getByRole('tab', { name: 'Session' }).click();
    await expect.poll(() => page.getByTestId('parked-node').textContent()).toBe('main/welcome');

    await say(page, 'Ada');
    const card = page.getByTestId('adaptive-card').first();
    await card.waitFor();
    expect(await card.textContent()).toContain('What would you like to know?');
    await expect.poll(() => page.getByTestId('parked-node').textContent()).toBe('main/menu');
    expect(await page.getByTestId('session-waits').textContent()).toMatch(/^The flow waits at main\/menu for (a card button to be clicked|the next message)\.$/);

    await card.getByRole('button', { name: 'About' }).click();
    await expect.poll(() => page.getByTestId('adaptive-card').count()).toBe(2);
    expect(await page.getByTestId('adaptive-card').nth(1).textContent()).toContain('About Greentic Studio');
    expect(await page.getByTestId('user-message').last().textContent()).toBe('About');
    // The answered card cannot be clicked again, and the session says plainly that nothing waits.
    expect(await card.getByRole('button', { name: 'Help' }).isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('session-waits').textContent()).toBe('The flow is not waiting: the next message starts it from its start node.');
    await page.close();
  });

  it('shows each turn in the trace, node by node, with input and output', async () => {
    const page = await openPage(session.browser, session.studio.url, 'live test trace');
    await say(page, 'hello');
    await page.getByTestId('bot-message').first().waitFor();
    await page.getByRole('tab', { name: 'Trace' }).click();
    await expect
      .poll(() => page.getByTestId('trace-step').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-node-id'))))
      .toEqual(['greet', 'say_hello', 'wait_for_name']);
    const greet = page.locator('[data-testid="trace-step"][data-node-id="greet"]');
    await greet.locator('summary').click();
    expect(await greet.locator('pre.json').first().textContent()).toContain('Hello! You said \\"hello\\"');
    await page.close();
  });

  it('runs the text tools through the WASM component built in the repository, with its log lines in the trace', async () => {
    const page = await openPage(session.browser, session.studio.url, 'live test wasm component');
    await reachTextTools(page);

    await say(page, 'hello wasm world');
    // The answer, then the menu again.
    await expect.poll(() => page.getByTestId('adaptive-card').count()).toBe(2);
    expect(await page.getByTestId('bot-message').nth(-2).textContent()).toBe('HELLO WASM WORLD! (words: 3, characters: 16)');

    await page.getByRole('tab', { name: 'Trace' }).click();
    const count = page.locator('[data-testid="trace-step"][data-node-id="count"]').last();
    await count.waitFor();
    expect(await count.locator('summary').textContent()).toContain('studio.sample.text-tools.stats');
    await count.locator('summary').click();
    expect(await count.getByRole('list', { name: 'Logs of count' }).textContent()).toBe('telemetry op=stats words=3 characters=16');
    const shout = page.locator('[data-testid="trace-step"][data-node-id="shout"]').last();
    await shout.locator('summary').click();
    expect(await shout.getByTestId('trace-log').allTextContents()).toEqual(['telemetry op=shout words=3 characters=16']);
    expect(await shout.locator('pre.json').nth(1).textContent()).toContain('HELLO WASM WORLD');
    await page.close();
  });

  it('restarts the conversation and saves it as a transcript test in the project', async () => {
    const page = await openPage(session.browser, session.studio.url, 'live test save transcript');
    await say(page, 'hi');
    await page.getByTestId('bot-message').first().waitFor();
    page.once('dialog', (dialog) => void dialog.accept('tests/e2e-saved.yaml'));
    await page.getByRole('button', { name: 'Save as test' }).click();
    await page.getByRole('status').filter({ hasText: 'saved tests/e2e-saved.yaml' }).waitFor();
    const saved = path.join(session.studio.projectDir, 'tests', 'e2e-saved.yaml');
    expect(existsSync(saved)).toBe(true);
    const transcript = readFileSync(saved, 'utf8');
    expect(transcript).toContain('flow: ../flows/main.ygtc');
    expect(transcript).toContain('Hello! You said "hi". What\'s your name?');

    await page.getByRole('button', { name: 'Restart' }).click();
    await expect.poll(() => page.getByTestId('bot-message').count()).toBe(0);
    await say(page, 'again');
    await expect.poll(() => page.getByTestId('bot-message').first().textContent()).toBe('Hello! You said "again". What\'s your name?');
    await page.close();
  });
});
