/**
 * The desktop menu's commands, as the window receives them (the `menuCommand` event). The back end
 * runs in this process so that the test can emit the event the Electron menu would; the page is the
 * same renderer the desktop app loads.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MenuCommand } from '../../src/shared/api';
import { startStudioServer, type RunningServer } from '../../src/runtime/http/server';
import { generateToken } from '../../src/runtime/http/token';
import { StudioService } from '../../src/runtime/studio';
import { repoRoot } from '../support/conformance';
import { launchChromium, openPage } from './support/browser';
import { copySampleProject } from './support/studio-server';

let studio: StudioService;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  const project = copySampleProject();
  studio = new StudioService({ projectFolder: project, configDir: mkdtempSync(path.join(tmpdir(), 'studio-menu-config-')) });
  await studio.handlers.openProject({ path: project });
  server = await startStudioServer({
    host: '127.0.0.1',
    port: 0,
    token: generateToken(),
    uiDir: path.join(repoRoot, 'out', 'renderer'),
    handlers: studio.handlers,
    events: studio.events,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const choose = (command: MenuCommand) => studio.events.emit('menuCommand', { command });

async function openStudio(name: string): Promise<Page> {
  const page = await openPage(browser, server.uiUrl, name);
  await page.getByTestId('flow-node').first().waitFor();
  return page;
}

describe('the desktop menu', () => {
  it('switches workspaces and views, and opens find, the shortcuts and the export dialog', async () => {
    const page = await openStudio('menu views');
    choose('showNats');
    await page.locator('.workspace-full[aria-label="NATS"]').waitFor();
    choose('showFlows');
    await page.getByTestId('flow-node').first().waitFor();

    choose('find');
    await page.getByLabel('Find nodes').waitFor();
    await page.keyboard.press('Escape');

    choose('showShortcuts');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    choose('showShortcuts');
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(0);

    choose('showPack');
    await page.locator('.workspace-full[aria-label="Pack"]').waitFor();
    choose('exportPack');
    await page.getByRole('dialog', { name: /Export pack/ }).waitFor();
    expect(await page.locator('.workspace-full[aria-label="Pack"]').count()).toBe(0);
    await page.close();
  });

  it('selects all, undoes and redoes a canvas edit, and saves', async () => {
    const page = await openStudio('menu edits');
    const before = (await studio.handlers.readFlow({ path: 'flows/main.ygtc' })).text;
    await page.getByTestId('flow-node').filter({ hasText: 'about' }).first().click();
    choose('selectAll');
    await expect.poll(() => page.locator('.react-flow__node.selected').count()).toBeGreaterThan(1);
    await page.keyboard.press('Escape');
    const count = await page.getByTestId('flow-node').count();
    await page.getByTestId('flow-node').filter({ hasText: 'help' }).first().click();
    await page.keyboard.press('Control+d');
    await expect.poll(() => page.getByTestId('flow-node').count()).toBe(count + 1);
    choose('undo');
    await expect.poll(() => page.getByTestId('flow-node').count()).toBe(count);
    choose('redo');
    await expect.poll(() => page.getByTestId('flow-node').count()).toBe(count + 1);
    choose('undo');
    await expect.poll(() => page.getByTestId('flow-node').count()).toBe(count);
    choose('save');
    await expect.poll(async () => (await studio.handlers.readFlow({ path: 'flows/main.ygtc' })).text).toBe(before);
    await page.close();
  });

  it('asks for a typed path where the machine has no native dialog', async () => {
    const page = await openStudio('menu folders');
    choose('showNats');
    choose('openFolder');
    await page.getByText('Folder to open').waitFor();
    expect(await page.getByTestId('flow-node').count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');

    choose('openPack');
    await page.getByLabel('Pack file path').waitFor();
    await page.close();
  });
});
