import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { launchChromium, openPage } from './support/browser';
import { canvasNode } from './support/editor';
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

describe('keyboard and accessibility (web mode, Chromium)', () => {
  it('starts with a skip link to the canvas', async () => {
    const page = await openPage(browser, studio.url, 'a11y skip link');
    await canvasNode(page, 'greet').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the canvas');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="flow-canvas"]') !== null)).toBe(true);
    await page.close();
  });

  it('closes the inline forms and dialogs with Escape', async () => {
    const page = await openPage(browser, studio.url, 'a11y escape');
    await canvasNode(page, 'greet').waitFor();
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByLabel('New flow name').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByLabel('New flow name').count()).toBe(0);

    await page.locator('body').press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // A flow tab closes from the keyboard too.
    await page.getByRole('tab', { name: /main\.ygtc/ }).focus();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByTestId('tab').count()).toBe(0);
    await page.close();
  });

  it('has no serious accessibility violations in any workspace', async () => {
    const page = await openPage(browser, studio.url, 'a11y axe', { bypassCSP: true });
    const warnings: string[] = [];
    page.on('console', (message) => warnings.push(message.text()));
    await canvasNode(page, 'greet').waitFor();
    // A conversation up to the menu card, so the chat's bubbles and the card are checked too.
    for (const text of ['hi', 'Ada']) {
      await page.getByLabel('Message').fill(text);
      await page.getByLabel('Message').press('Enter');
    }
    await page.getByTestId('adaptive-card').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await canvasNode(page, 'greet').click();
    await page.getByTestId('node-inspector').waitFor();
    await page.getByRole('button', { name: 'Split', exact: true }).click();
    await page.locator('.monaco-editor').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    for (const workspace of ['Pack', 'NATS']) {
      await page.getByRole('button', { name: workspace, exact: true }).click();
      await page.getByRole('region', { name: new RegExp(workspace, 'i') }).first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    }
    expect(warnings.filter((text) => text.includes('Markdown processing'))).toEqual([]);
    await page.close();
  });
});
