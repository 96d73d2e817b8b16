import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage } from './support/browser';
import { canvasNode, canvasNodeIds, fitView, replaceYaml } from './support/editor';
import { serveStudio, type ServedStudio } from './support/studio-server';

/** One node of every kind the canvas draws differently, with conditional and plain routes between them. */
const EVERY_KIND = `id: kinds
type: messaging
start: reply
nodes:
  reply:
    emit.response:
      text: hi
    routing:
      - to: wait
  wait:
    session.wait:
      reason: next
    routing:
      - to: template
  template:
    templating.handlebars:
      text: "{{in.input.text}}"
    routing:
      - condition: in.input.text == "x"
        to: questions
      - to: store
  questions:
    qa.process:
      questions: []
    routing:
      - to: store
  store:
    state.set:
      key: k
      value: v
    routing:
      - to: tool
  tool:
    mcp:
      tool: t
    routing:
      - to: call
  call:
    flow.call:
      flow: kinds
    routing:
      - to: card
  card:
    component-adaptive-card.render:
      card_source: inline
    routing: out
`;
const NODE_IDS = ['call', 'card', 'questions', 'reply', 'store', 'template', 'tool', 'wait'];

let studio: ServedStudio;
let browser: Browser;
let flowFile: string;

beforeAll(async () => {
  const project = mkdtempSync(path.join(tmpdir(), 'studio-resilience-'));
  flowFile = path.join(project, 'kinds.ygtc');
  writeFileSync(flowFile, EVERY_KIND);
  studio = await serveStudio(project);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

/** A page that records every uncaught error, and every "Maximum update depth" React reports. */
async function watchedPage(name: string): Promise<{ page: Page; errors: string[] }> {
  const errors: string[] = [];
  const page = await openPage(browser, studio.url, name);
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Maximum update depth|Minified React error/.test(message.text())) errors.push(message.text());
  });
  return { page, errors };
}

const viewButton = (page: Page, name: string) => page.getByRole('group', { name: 'View' }).getByRole('button', { name, exact: true });
const workspaceButton = (page: Page, name: string) => page.getByRole('navigation', { name: 'Workspace' }).getByRole('button', { name, exact: true });
const selectedIds = (page: Page) => page.locator('.react-flow__node.selected [data-testid="flow-node"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node-id')).sort());

/** The canvas is back with every node drawn and the selection it had. */
async function expectCanvasWith(page: Page, selection: string[]): Promise<void> {
  // A click while the fit is still animating would land beside its node: wait for the viewport to rest.
  await fitView(page);
  await expect.poll(() => canvasNodeIds(page)).toEqual(NODE_IDS);
  await expect.poll(() => selectedIds(page)).toEqual([...selection].sort());
  if (selection.length === 1) await expect.poll(() => page.getByTestId('node-id').inputValue()).toBe(selection[0]);
}

describe('the window never goes blank (web mode, Chromium)', () => {
  it('switches views and workspaces with every kind of node and selection, without a page error', async () => {
    const { page, errors } = await watchedPage('resilience view switching');
    await expectCanvasWith(page, []);

    const selections: Array<{ label: string; select(): Promise<void>; expected: string[] }> = [
      { label: 'nothing', select: () => page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } }), expected: [] },
      ...NODE_IDS.map((id) => ({ label: id, select: () => canvasNode(page, id).click(), expected: [id] })),
      {
        label: 'two nodes',
        select: async () => {
          await canvasNode(page, 'reply').click();
          await canvasNode(page, 'tool').click({ modifiers: ['ControlOrMeta'] });
        },
        expected: ['reply', 'tool'],
      },
      {
        label: 'every node',
        select: async () => {
          await canvasNode(page, 'reply').click();
          await page.keyboard.press('ControlOrMeta+A');
        },
        expected: NODE_IDS,
      },
      {
        label: 'an edge',
        select: async () => {
          await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
          await page.locator('.react-flow__edge[data-id] .react-flow__edge-interaction').first().click({ force: true });
        },
        expected: [],
      },
    ];

    for (const selection of selections) {
      await selection.select();
      await expect.poll(() => selectedIds(page), { message: selection.label }).toEqual([...selection.expected].sort());
      for (const view of ['Split', 'YAML']) {
        await viewButton(page, view).click();
        await page.getByTestId('yaml-view').waitFor();
        await viewButton(page, 'Canvas').click();
        await expectCanvasWith(page, selection.expected);
      }
      for (const workspace of ['NATS', 'Pack']) {
        await workspaceButton(page, workspace).click();
        await page.getByRole('region', { name: workspace, exact: true }).waitFor();
        await workspaceButton(page, 'Flows').click();
        await expectCanvasWith(page, selection.expected);
      }
      expect(errors, selection.label).toEqual([]);
    }
    expect(await page.getByTestId('panel-failed').count()).toBe(0);
    await page.close();
  }, 300_000);

  it('asks before saving YAML that does not parse, and never says it is saved', async () => {
    const { page, errors } = await watchedPage('resilience save broken');
    await canvasNode(page, 'reply').waitFor();
    await viewButton(page, 'YAML').click();
    await page.locator('.monaco-editor').waitFor();
    const broken = `${EVERY_KIND}  broken: [\n`;
    await replaceYaml(page, broken);
    await page.getByTestId('text-errors').waitFor();
    await expect.poll(() => page.getByTestId('save-state').innerText()).toMatch(/^Not saved: kinds\.ygtc does not parse/);

    await page.keyboard.press('ControlOrMeta+S');
    const dialog = page.getByRole('alertdialog', { name: /Save kinds\.ygtc with YAML that does not parse/ });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Keep editing' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(readFileSync(flowFile, 'utf8')).toBe(EVERY_KIND);

    // Escape closes the question too; then the user saves anyway, and the status still warns.
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+S');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByRole('button', { name: 'Save anyway' }).click();
    await expect.poll(() => readFileSync(flowFile, 'utf8')).toBe(broken);
    await expect.poll(() => page.getByTestId('save-state').innerText()).toMatch(/^Saved, but kinds\.ygtc does not parse and will not load/);
    expect(await page.getByTestId('save-state').innerText()).not.toContain('All changes saved');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('autosaves a flow whose route points to a missing node, and says it holds errors', async () => {
    writeFileSync(flowFile, EVERY_KIND);
    const { page, errors } = await watchedPage('resilience autosave errors');
    await canvasNode(page, 'reply').waitFor();
    // The fixture holds one error already (its flow.call names no real flow); the dangling route adds one.
    await expect.poll(() => page.getByTestId('save-state').innerText()).toBe('Saved with errors: kinds.ygtc (1 error)');
    await viewButton(page, 'Split').click();
    await page.locator('.monaco-editor').waitFor();
    const dangling = EVERY_KIND.replace('      - to: wait\n', '      - to: nowhere\n');
    await replaceYaml(page, dangling);
    await expect.poll(() => readFileSync(flowFile, 'utf8'), { timeout: 10_000 }).toBe(dangling);
    await expect.poll(() => page.getByTestId('save-state').innerText()).toBe('Saved with errors: kinds.ygtc (2 errors)');
    expect(errors).toEqual([]);
    await page.close();
  });
});
