import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage } from './support/browser';
import { say } from './support/chat';
import { canvasNode, canvasNodeIds, fitView } from './support/editor';
import { WEATHER_FLOW } from './support/flows';
import { copySampleProject, serveStudio, type ServedStudio } from './support/studio-server';


let studio: ServedStudio;
let browser: Browser;
let flowFile: string;

beforeAll(async () => {
  const project = copySampleProject();
  flowFile = path.join(project, 'flows', 'weather.ygtc');
  writeFileSync(flowFile, WEATHER_FLOW);
  studio = await serveStudio(project);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

async function openFlow(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Project' }).getByRole('button', { name: title, exact: true }).click();
  await canvasNode(page, title === 'Weather' ? 'lookup' : 'greet').waitFor();
  await fitView(page);
}


const lastSystemMessage = (page: Page) => page.getByTestId('system-message').last().textContent();
const lastBotText = (page: Page) => page.getByTestId('bot-message').last().textContent();

describe('pinned outputs from the canvas node menu', () => {
  it('pins an output so the next turn uses it, edits it, clears it, and never touches the flow file', async () => {
    const page = await openPage(browser, studio.url, 'pin output from the node menu');
    const pins = `${flowFile}.pins.json`;
    await openFlow(page, 'Weather');

    await say(page, 'Paris');
    await expect.poll(() => lastSystemMessage(page)).toContain('needs component `weather` (operation `lookup`), which cannot run in the studio: pin an output');

    await canvasNode(page, 'lookup').click({ button: 'right' });
    const menu = page.getByRole('menu', { name: 'Node lookup' });
    await menu.getByRole('menuitem', { name: 'Pin output…' }).click();
    const editor = page.getByRole('dialog').getByLabel('Pinned output (JSON)');
    expect(await editor.inputValue()).toBe('{}');
    await editor.fill('{"forecast": "sunny"');
    await expect.poll(() => page.getByRole('dialog').getByRole('alert').textContent()).toMatch(/^Not valid JSON: /);
    expect(await page.getByRole('button', { name: 'Pin output' }).isDisabled()).toBe(true);
    await editor.fill('{"forecast": "sunny"}');
    await page.getByRole('button', { name: 'Pin output' }).click();
    await canvasNode(page, 'lookup').getByTestId('pin-badge').waitFor();
    expect(JSON.parse(readFileSync(pins, 'utf8'))).toMatchObject({ nodes: { lookup: { output: { forecast: 'sunny' } } } });
    expect(readFileSync(flowFile, 'utf8')).toBe(WEATHER_FLOW);

    await say(page, 'Paris');
    await expect.poll(() => lastBotText(page)).toBe('It is sunny in Paris');
    await page.getByRole('tab', { name: 'Trace' }).click();
    const pinnedStep = page.locator('[data-testid="trace-step"][data-node-id="lookup"]').last();
    expect(await pinnedStep.locator('summary .badge').textContent()).toBe('pinned');

    // From the keyboard: Shift+F10 on the focused node; the editor starts from the current pin.
    await canvasNode(page, 'lookup').click();
    await page.keyboard.press('Shift+F10');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Run this node…');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Edit pinned output…');
    await page.keyboard.press('Enter');
    expect(JSON.parse(await editor.inputValue())).toEqual({ forecast: 'sunny' });
    await editor.fill('{"forecast": "foggy"}');
    await page.keyboard.press('Control+Enter');
    await say(page, 'London');
    await expect.poll(() => lastBotText(page)).toBe('It is foggy in London');

    await canvasNode(page, 'lookup').click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'Clear pinned output' }).click();
    await expect.poll(() => canvasNode(page, 'lookup').getByTestId('pin-badge').count()).toBe(0);
    expect(existsSync(pins)).toBe(false);
    await say(page, 'Rome');
    await expect.poll(() => page.getByTestId('system-message').count()).toBe(2);
    expect(await lastSystemMessage(page)).toContain('needs component `weather` (operation `lookup`)');

    expect(readFileSync(flowFile, 'utf8')).toBe(WEATHER_FLOW);
    await page.close();
  });

  it('prefills a new pin with the output the node gave in the last run', async () => {
    const page = await openPage(browser, studio.url, 'pin prefilled from the trace');
    await openFlow(page, 'Welcome');
    await say(page, 'hi');
    await expect.poll(() => lastBotText(page)).toBe('Hello! You said "hi". What\'s your name?');
    await canvasNode(page, 'greet').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Pin output…' }).click();
    const editor = page.getByRole('dialog').getByLabel('Pinned output (JSON)');
    expect(JSON.parse(await editor.inputValue())).toEqual({ text: 'Hello! You said "hi". What\'s your name?' });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(existsSync(path.join(studio.projectDir, 'flows', 'main.ygtc.pins.json'))).toBe(false);
    await page.close();
  });

  it('offers the editor node commands (rename, duplicate, delete), and no pin on steps the runner always runs', async () => {
    const page = await openPage(browser, studio.url, 'node menu commands');
    await openFlow(page, 'Welcome');
    const before = await canvasNodeIds(page);

    await canvasNode(page, 'help').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Rename…' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('node-id');

    await canvasNode(page, 'help').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Duplicate' }).click();
    await expect.poll(() => canvasNodeIds(page).then((ids) => ids.length)).toBe(before.length + 1);
    const copy = (await canvasNodeIds(page)).find((id) => !before.includes(id)) ?? '';
    expect(copy).toMatch(/^help/);

    await canvasNode(page, copy).click({ button: 'right' });
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Delete');
    await page.keyboard.press('Enter');
    await expect.poll(() => canvasNodeIds(page)).toEqual(before);

    await canvasNode(page, 'wait_for_name').click({ button: 'right' });
    expect(await page.getByRole('menuitem', { name: 'Pin output…' }).isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
    await page.close();
  });
});
