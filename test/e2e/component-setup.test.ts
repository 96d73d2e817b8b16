import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFlow } from '../../src/shared/flow';
import { hasConformance } from '../support/conformance';
import { incidentProject } from '../support/incident-project';
import { launchChromium, openPage } from './support/browser';
import { canvasNode, fitView } from './support/editor';
import { serveStudio, type ServedStudio } from './support/studio-server';

describe.skipIf(!hasConformance)("a 0.6 component's setup in the inspector (web mode, Chromium)", () => {
  let studio: ServedStudio;
  let browser: Browser;
  let root: string;
  let flowFile: string;

  beforeAll(async () => {
    ({ root, flowFile } = await incidentProject());
    studio = await serveStudio(root);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
    rmSync(path.dirname(root), { recursive: true, force: true });
  });

  const configOnDisk = () => (loadFlow(readFileSync(flowFile, 'utf8')).ir?.nodes.find((node) => node.id === 'create')?.payload as Record<string, unknown> | undefined)?.config;

  it("asks the questions of the component's qa-spec, applies the answers through its apply-answers into the step's config, and undoes it in one step", async () => {
    const page = await openPage(browser, studio.url, 'component setup');
    await canvasNode(page, 'create').waitFor();
    await fitView(page);
    await canvasNode(page, 'create').click();
    const setup = page.getByTestId('component-setup');
    await setup.waitFor({ timeout: 60_000 });
    const apply = setup.getByRole('button', { name: 'Apply setup' });
    await setup.getByLabel('api_key').waitFor({ timeout: 60_000 });
    // Three of the four questions are required: nothing can be applied until they are answered.
    await expect.poll(() => setup.getByRole('alert').count()).toBe(3);
    expect(await apply.isDisabled()).toBe(true);
    for (const [label, value] of [
      ['api_key', 'bs-token'],
      ['region', 'eu'],
      ['webhook_base_url', 'https://hooks.example'],
    ]) {
      await setup.getByLabel(label as string).fill(value as string);
      await setup.getByLabel(label as string).press('Enter');
    }
    await expect.poll(() => setup.getByRole('alert').count()).toBe(0);
    await apply.click();
    await expect.poll(() => setup.getByTestId('setup-status').innerText()).toBe('Configuration set by the component');
    await expect.poll(configOnDisk, { timeout: 10_000 }).toEqual({ api_key: 'bs-token', region: 'eu', webhook_base_url: 'https://hooks.example' });

    // With a configuration the step is in update mode, its answers read back from it.
    await expect.poll(() => setup.innerText()).toContain('update mode');
    expect(await setup.getByLabel('region').inputValue()).toBe('eu');

    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(configOnDisk, { timeout: 10_000 }).toBeUndefined();
    await page.close();
  });
});
