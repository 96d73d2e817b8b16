import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage } from './support/browser';
import { canvasNode, fitView } from './support/editor';
import { serveStudio, type ServedStudio } from './support/studio-server';

let studio: ServedStudio;
let browser: Browser;

beforeAll(async () => {
  studio = await serveStudio();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

const onDisk = () => readFileSync(path.join(studio.projectDir, 'flows', 'main.ygtc'), 'utf8');

describe('editing that keeps intent (web mode, Chromium)', () => {
  it('edits a template in Monaco with the paths the node can read, and keeps its quotes', async () => {
    const page = await openPage(browser, studio.url, 'editing template');
    await fitView(page);
    await canvasNode(page, 'count').click();
    const template = page.getByTestId('template-editor');
    await template.locator('.view-lines').waitFor();
    await template.locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' {{node.');
    const rows = page.locator('.suggest-widget .monaco-list-row');
    await rows.filter({ hasText: 'node.welcome' }).waitFor();
    // help and about end the flow: they never run before this node, so they are not offered.
    expect(await rows.filter({ hasText: 'node.help' }).count()).toBe(0);
    await page.keyboard.type('wel');
    await rows.filter({ hasText: 'node.welcome' }).waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.type('}}');
    await page.keyboard.press('Tab');
    await expect.poll(onDisk, { timeout: 10_000 }).toContain('      input: "{{state.input.input.text}} {{node.welcome}}"\n');
    await page.close();
  });

  it('checks a route condition as it is typed against what the runner evaluates', async () => {
    const page = await openPage(browser, studio.url, 'editing condition');
    await fitView(page);
    await canvasNode(page, 'menu').click();
    const condition = page.getByLabel('Route 1 condition');
    await condition.fill('response.action >= 1');
    const problem = page.locator('.route-editor').first().getByRole('alert');
    await expect.poll(() => problem.textContent()).toContain("operator '>=' is not supported");
    expect(await condition.getAttribute('aria-invalid')).toBe('true');
    await condition.fill('response.action == "about"');
    await expect.poll(() => problem.count()).toBe(0);
    // A condition left empty says what it means instead of showing a value that looks real.
    expect(await page.getByLabel('Route 1 status').getAttribute('placeholder')).toBeNull();
    await page.getByTestId('node-id').fill('x'.repeat(65));
    await expect.poll(() => page.getByTestId('node-inspector').getByRole('alert').first().textContent()).toContain('at most 64 characters');
    await page.close();
  });
});
