import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPack } from '../../src/runtime/pack/builder/build';
import { launchChromium, openPage } from './support/browser';
import { copySampleProject, serveStudio, type ServedStudio } from './support/studio-server';

let studio: ServedStudio;
let browser: Browser;

beforeAll(async () => {
  const pack = path.join(mkdtempSync(path.join(tmpdir(), 'served-pack-e2e-')), 'sample.gtpack');
  writeFileSync(pack, (await buildPack(copySampleProject())).bytes);
  studio = await serveStudio(pack);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

describe('the studio UI serving a pack', () => {
  it('says the project is a pack served read-only, and its flows answer in the webchat', async () => {
    const page = await openPage(browser, studio.url, 'served pack in the UI');
    await expect.poll(() => page.locator('.workspace [role="alert"]').first().textContent()).toMatch(/serves the pack studio\.sample@0\.1\.0 \(sample\.gtpack\), read-only/);
    expect(await page.locator('.topbar .project-name').textContent()).toBe('No project open');

    const input = page.getByLabel('Message');
    await expect.poll(() => input.isEnabled()).toBe(true);
    await input.fill('hi');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('bot-message').first().textContent()).toBe('Hello! You said "hi". What\'s your name?');
    await page.close();
  });
});
