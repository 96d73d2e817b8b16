import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFlow } from '../../src/shared/flow';
import { launchChromium, openPage } from './support/browser';
import { canvasNode, fitView } from './support/editor';
import { serveStudio, type ServedStudio } from './support/studio-server';

const ORIGINAL = `# a support conversation
id: support
type: messaging
start: ask
nodes:
  ask:
    emit.response:
      text: What do you need?
    routing:
      - to: answer
  answer:
    session.wait:
      reason: waiting for the question
    routing:
      - to: done
  done:
    emit.response:
      text: Thanks
    routing: out
`;

let studio: ServedStudio;
let browser: Browser;
let flowFile: string;

beforeAll(async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'studio-insert-'));
  flowFile = path.join(folder, 'support.ygtc');
  writeFileSync(flowFile, ORIGINAL);
  studio = await serveStudio(folder);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

const onDisk = () => readFileSync(flowFile, 'utf8');
const routesOnDisk = () => Object.fromEntries((loadFlow(onDisk()).ir?.nodes ?? []).map((node) => [node.id, node.routes.map((route) => route.to)]));

/** The middle of an edge's drawn path, in page coordinates. */
async function edgeMiddle(page: Page, edgeId: string): Promise<{ x: number; y: number }> {
  return page.locator(`.react-flow__edge[data-id="${edgeId}"] path.react-flow__edge-path`).evaluate((element) => {
    const path = element as SVGPathElement;
    const point = path.getPointAtLength(path.getTotalLength() / 2);
    const matrix = path.getScreenCTM();
    if (!matrix) throw new Error('edge is not drawn');
    return { x: point.x * matrix.a + point.y * matrix.c + matrix.e, y: point.x * matrix.b + point.y * matrix.d + matrix.f };
  });
}

describe('inserting a step into an existing route (web mode, Chromium)', () => {
  it('drops a palette item onto an edge: the route is spliced through the new step, and undo restores the file', async () => {
    const page = await openPage(browser, studio.url, 'editor drop on edge');
    await canvasNode(page, 'ask').waitFor();
    await fitView(page);
    const middle = await edgeMiddle(page, 'ask#0');
    const canvas = await page.getByTestId('flow-canvas').boundingBox();
    if (!canvas) throw new Error('canvas not visible');
    await page
      .locator('[data-testid="palette-item"][data-op-key="emit.log"]')
      .dragTo(page.getByTestId('flow-canvas'), { targetPosition: { x: middle.x - canvas.x, y: middle.y - canvas.y } });

    await canvasNode(page, 'log').waitFor();
    await expect.poll(routesOnDisk).toEqual({ ask: ['log'], answer: ['done'], done: [null], log: ['answer'] });
    const saved = onDisk();
    expect(loadFlow(saved).ir?.nodes.find((node) => node.id === 'log')?.opKey).toBe('emit.log');
    // Only the spliced route and the new node changed: the rest of the file is as it was.
    expect(saved).toContain('# a support conversation\nid: support\n');
    expect(saved).toContain('  answer:\n    session.wait:\n      reason: waiting for the question\n    routing:\n      - to: done\n');
    expect(await page.locator('.react-flow__edge').count()).toBe(3);

    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(onDisk).toBe(ORIGINAL);
    await expect.poll(() => canvasNode(page, 'log').count()).toBe(0);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    await page.close();
  });

  it('adds a step after the selected node with the palette\'s "+": it takes over the node\'s routes, and undo restores the file', async () => {
    const page = await openPage(browser, studio.url, 'editor add after node');
    await canvasNode(page, 'answer').waitFor();
    await fitView(page);
    await canvasNode(page, 'answer').click();
    await page.getByRole('button', { name: 'Add Log', exact: true }).click();

    await canvasNode(page, 'log').waitFor();
    await expect.poll(routesOnDisk).toEqual({ ask: ['answer'], answer: ['log'], log: ['done'], done: [null] });
    // The new step follows its anchor in the file and is selected for editing.
    expect(loadFlow(onDisk()).ir?.nodes.map((node) => node.id)).toEqual(['ask', 'answer', 'log', 'done']);
    await expect.poll(() => page.getByTestId('node-id').inputValue()).toBe('log');

    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(onDisk).toBe(ORIGINAL);
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    await expect.poll(routesOnDisk).toEqual({ ask: ['answer'], answer: ['log'], log: ['done'], done: [null] });
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(onDisk).toBe(ORIGINAL);
    await page.close();
  });
});
