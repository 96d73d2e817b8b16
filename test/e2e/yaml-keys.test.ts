import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage } from './support/browser';
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

const flowFile = () => path.join(studio.projectDir, 'flows', 'main.ygtc');
const onDisk = () => readFileSync(flowFile(), 'utf8');

/** Puts the caret at the end of the flow's first line (a comment, so anything typed there keeps the flow valid). */
async function caretAtEndOfFirstLine(page: Page): Promise<void> {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.press('End');
}

for (const view of ['Split', 'YAML'] as const) {
  describe(`the YAML editor in the ${view} view takes every key`, () => {
    it('types a full line with spaces, Tab and Enter and the file on disk has it', async () => {
      const page = await openPage(browser, studio.url, `yaml keys ${view}`);
      await page.locator('[data-testid="flow-node"]').first().waitFor();
      await page.getByRole('button', { name: view, exact: true }).click();
      await page.locator('.monaco-editor .view-lines').waitFor();
      await caretAtEndOfFirstLine(page);
      const [firstLine, secondLine] = onDisk().split('\n');
      const typed = ` and then a b  c ~!@#$%^&*()_+={}[]|:;'<>,.?/ -- ${view}`;
      await page.keyboard.type(typed);
      await page.keyboard.press('Enter');
      await page.keyboard.type('# note');
      await page.keyboard.press('Tab');
      await page.keyboard.type('after tab');
      // An input method composes a word before committing it, as Japanese or Chinese input does.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Input.imeSetComposition', { text: 'にほ', selectionStart: 2, selectionEnd: 2 });
      await cdp.send('Input.imeSetComposition', { text: 'にほん', selectionStart: 3, selectionEnd: 3 });
      await cdp.send('Input.insertText', { text: ' 日本 ' });
      await expect.poll(() => onDisk().split('\n').slice(0, 2), { timeout: 10_000 }).toEqual([`${firstLine}${typed}`, '# note  after tab 日本 ']);
      // And the line after it is the flow's own second line, untouched.
      expect(onDisk().split('\n')[2]).toBe(secondLine);
      await page.close();
    });
  });
}
