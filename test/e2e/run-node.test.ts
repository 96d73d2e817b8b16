import { describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { openPage } from './support/browser';
import { canvasNode, fitView } from './support/editor';
import { reachTextTools, say } from './support/chat';
import { useSampleStudio } from './support/sample-session';

const session = useSampleStudio();

describe('running one node on its own (web mode, Chromium)', () => {
  it("runs the WASM node on its input from the last run and on a typed one, with its logs, and leaves the conversation as it was", async () => {
    const page = await openPage(session.browser, session.studio.url, 'run node from the menu', { bypassCSP: true });
    await reachTextTools(page);
    await say(page, 'quiet words');
    await expect.poll(() => page.getByTestId('adaptive-card').count(), { timeout: 30_000 }).toBe(2);
    await page.getByRole('tab', { name: 'Session' }).click();
    await expect.poll(() => page.getByTestId('parked-node').textContent()).toBe('main/menu');
    const replies = await page.getByTestId('bot-message').count();

    await fitView(page);
    await canvasNode(page, 'shout').click({ button: 'right' });
    await page.getByRole('menu', { name: 'Node shout' }).getByRole('menuitem', { name: 'Run this node…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run shout on its own' });
    const input = dialog.getByLabel('Node input (JSON)');
    expect(JSON.parse(await input.inputValue())).toEqual({ input: 'quiet words' });
    expect(await dialog.textContent()).toContain('Prefilled with the input the node got in its last run');
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    const result = dialog.getByRole('region', { name: 'Node run result' });
    await expect.poll(() => result.getByTestId('run-node-summary').textContent(), { timeout: 30_000 }).toContain('Ran studio.sample.text-tools.shout');
    expect(await result.getByTestId('run-node-summary').textContent()).toContain('the flow would go on along its routes');
    expect(await result.locator('pre.json').textContent()).toContain('"QUIET WORDS"');
    expect(await result.getByRole('list', { name: 'Node logs' }).textContent()).toContain('op=shout words=2');

    await input.fill('{"input": "typed here"');
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/^Not valid JSON: /);
    expect(await dialog.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(true);
    await input.fill('{"input": "typed here"}');
    expect(await dialog.getByRole('alert').textContent()).toBe('');
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => result.locator('pre.json').textContent(), { timeout: 30_000 }).toContain('"TYPED HERE"');
    expect(await seriousViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    // The conversation saw none of it: no reply, and the session still waits at the menu.
    expect(await page.getByTestId('bot-message').count()).toBe(replies);
    await page.getByTestId('session-view').getByRole('button', { name: 'Refresh' }).click();
    expect(await page.getByTestId('parked-node').textContent()).toBe('main/menu');
    await page.close();
  }, 120_000);

  it('runs a built-in node from the inspector on a typed input, and shows a failing node\'s error', async () => {
    const page = await openPage(session.browser, session.studio.url, 'run node from the inspector');
    await fitView(page);
    await canvasNode(page, 'say_hello').click();
    await page.getByTestId('node-inspector').getByRole('button', { name: 'Run this node…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run say_hello on its own' });
    const input = dialog.getByLabel('Node input (JSON)');
    // Nothing ran yet in this conversation: the payload as written is the starting point.
    expect(JSON.parse(await input.inputValue())).toEqual({ messages: [{ type: 'text', text: '{{prev.text}}' }] });
    await input.fill('{"messages": [{"type": "text", "text": "Hi Ada"}]}');
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    const result = dialog.getByRole('region', { name: 'Node run result' });
    await expect.poll(() => result.getByTestId('run-node-summary').textContent()).toContain('Ran emit.response');
    expect(await result.getByRole('listitem').allTextContents()).toContain('Hi Ada');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);

    await canvasNode(page, 'count').click();
    await page.getByTestId('node-inspector').getByRole('button', { name: 'Run this node…' }).click();
    const countDialog = page.getByRole('dialog', { name: 'Run count on its own' });
    await countDialog.getByLabel('Node input (JSON)').fill('{"input": 42}');
    await countDialog.getByRole('button', { name: 'Run', exact: true }).click();
    await expect
      .poll(() => countDialog.getByRole('region', { name: 'Node run result' }).getByTestId('run-node-summary').textContent(), { timeout: 30_000 })
      .toMatch(/^Failed after \d+ ms: /);
    expect(await page.getByTestId('bot-message').count()).toBe(0);
    await page.close();
  }, 120_000);
});
