import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFlow } from '../../src/shared/flow';
import { buildTestComponents, fixtureManifest, type FixtureName } from '../fixtures/components/build';
import { launchChromium, openPage } from './support/browser';
import { canvasNode } from './support/editor';
import { serveStudio, type ServedStudio } from './support/studio-server';

const flowText = (id: string, title: string) => `id: ${id}\ntitle: ${title}\ntype: messaging\nnodes:\n  hello:\n    emit.response:\n      text: Hi\n    routing: out\n`;

let studio: ServedStudio;
let browser: Browser;
let project: string;

/** A test component whose manifest lists no operations: only its describe() says what it does. */
function addDescribedOnlyComponent(name: FixtureName, wasm: string): void {
  copyFileSync(wasm, path.join(project, 'components', `${name}.wasm`));
  writeFileSync(path.join(project, 'components', `${name}.manifest.json`), JSON.stringify({ ...fixtureManifest(name), operations: [] }, null, 2));
}

beforeAll(async () => {
  const components = await buildTestComponents();
  project = mkdtempSync(path.join(tmpdir(), 'studio-projects-'));
  writeFileSync(path.join(project, 'desk.ygtc'), flowText('desk', 'Help desk'));
  mkdirSync(path.join(project, 'components'));
  addDescribedOnlyComponent('json-echo', components['json-echo']);
  addDescribedOnlyComponent('stateful', components.stateful);
  studio = await serveStudio(project);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

const flowButton = (title: string) => `.tree-flow button:text-is("${title}")`;

describe('projects and components in the editor (web mode, Chromium)', () => {
  it("offers the operations only a component's describe() documents, and draws the inspector form from its input schema", async () => {
    const page = await openPage(browser, studio.url, 'editor described component');
    await canvasNode(page, 'hello').click();
    // Loading the components takes a moment; the palette shows them once they have described themselves.
    const addPut = page.getByRole('button', { name: 'Add test.fixture.stateful · put', exact: true });
    await addPut.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByRole('button', { name: 'Add test.fixture.json-echo · echo', exact: true }).count()).toBe(1);
    await addPut.click();

    await canvasNode(page, 'exec').waitFor();
    await page.getByText('Schema: test.fixture.stateful put (describe())').waitFor();
    // put takes a string: the form offers one text field for the input.
    await page.getByLabel('input', { exact: true }).fill('remember me');
    await page.getByLabel('input', { exact: true }).press('Enter');

    const file = path.join(project, 'desk.ygtc');
    await expect
      .poll(() => loadFlow(readFileSync(file, 'utf8')).ir?.nodes.find((node) => node.id === 'exec')?.payload)
      .toEqual({ component: 'test.fixture.stateful', operation: 'put', input: 'remember me' });
    expect(loadFlow(readFileSync(file, 'utf8')).ir?.nodes.find((node) => node.id === 'hello')?.routes.map((route) => route.to)).toEqual(['exec']);
    await page.close();
  }, 60_000);

  it('shows flows of folders created, renamed and deleted on disk after the project was opened', async () => {
    const page = await openPage(browser, studio.url, 'editor new folders');
    await page.locator(flowButton('Help desk')).waitFor();
    mkdirSync(path.join(project, 'billing'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeFileSync(path.join(project, 'billing', 'invoice.ygtc'), flowText('invoice', 'Invoices'));
    await page.locator(flowButton('Invoices')).waitFor();
    expect(await page.locator(flowButton('Invoices')).getAttribute('title')).toBe('billing/invoice.ygtc');

    renameSync(path.join(project, 'billing'), path.join(project, 'accounts'));
    await expect.poll(() => page.locator(flowButton('Invoices')).getAttribute('title')).toBe('accounts/invoice.ygtc');

    rmSync(path.join(project, 'accounts'), { recursive: true });
    await expect.poll(() => page.locator(flowButton('Invoices')).count()).toBe(0);
    await page.close();
  });

  it('opens a typed folder and makes a new project from a typed path, as web mode has no folder dialog', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'studio-other-'));
    writeFileSync(path.join(other, 'orders.ygtc'), flowText('orders', 'Orders'));
    const page = await openPage(browser, studio.url, 'editor typed folder');
    await page.locator(flowButton('Help desk')).waitFor();

    await page.getByRole('button', { name: 'Open folder…' }).click();
    await page.getByLabel('Folder to open').fill(other);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.locator(flowButton('Orders')).waitFor();
    await canvasNode(page, 'hello').waitFor();
    expect(await page.locator(flowButton('Help desk')).count()).toBe(0);

    const fresh = path.join(mkdtempSync(path.join(tmpdir(), 'studio-new-')), 'my-project');
    await page.getByRole('button', { name: 'New project…' }).click();
    await page.getByLabel('Empty folder for the new project').fill(fresh);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect.poll(() => existsSync(path.join(fresh, 'pack.yaml')), { timeout: 10_000 }).toBe(true);
    // The new project is the sample template, whose flow is "Welcome"; the typed folder's flows leave the tree.
    await page.locator(flowButton('Welcome')).waitFor();
    expect(await page.locator(flowButton('Orders')).count()).toBe(0);
    await page.close();
  });

  it('lists each recent project once, however its folder was typed, with its folder shown', async () => {
    const twin = mkdtempSync(path.join(tmpdir(), 'studio-twin-'));
    writeFileSync(path.join(twin, 'orders.ygtc'), flowText('orders', 'Orders'));
    const link = path.join(mkdtempSync(path.join(tmpdir(), 'studio-link-')), 'desk');
    symlinkSync(project, link);
    const page = await openPage(browser, studio.url, 'editor recent projects');
    await page.locator('.tree-flow').first().waitFor();
    const openTyped = async (folder: string, flowTitle: string) => {
      await page.getByRole('button', { name: 'Open folder…' }).click();
      await page.getByLabel('Folder to open').fill(folder);
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await page.locator(flowButton(flowTitle)).waitFor();
    };
    await openTyped(project, 'Help desk');
    await openTyped(link, 'Help desk');
    await openTyped(`${project}/components/..`, 'Help desk');
    await openTyped(twin, 'Orders');

    const recent = page.getByRole('list', { name: 'Recent projects' }).getByRole('button');
    await expect.poll(async () => (await recent.allTextContents()).filter((text) => text.includes(project)).length).toBe(1);
    const paths = await page.getByRole('list', { name: 'Recent projects' }).locator('.recent-project-path').allTextContents();
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toContain(project);
    expect(paths.some((shown) => shown === link || shown.startsWith(`${project}/`))).toBe(false);
    // The folder is on screen, not only in a tooltip.
    const shownPath = page.getByRole('list', { name: 'Recent projects' }).locator('.recent-project-path', { hasText: project });
    expect(await shownPath.isVisible()).toBe(true);
    expect((await shownPath.boundingBox())?.height ?? 0).toBeGreaterThan(8);

    await openTyped(project, 'Help desk');
    await page.close();
  });
});
