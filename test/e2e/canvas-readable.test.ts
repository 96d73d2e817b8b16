import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformancePath, hasConformance } from '../support/conformance';
import { launchChromium, openPage } from './support/browser';
import { say } from './support/chat';
import { canvasNode, canvasOpened as opened, dropFromPalette } from './support/editor';
import { useSampleStudio } from './support/sample-session';
import { serveStudio, type ServedStudio } from './support/studio-server';

/** The goal: node titles at least this tall on screen, on a 1440x900 window, as a flow opens. */
const READABLE_PX = 11;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}


/** Each drawn title's rendered size: its computed font size times the canvas zoom, and its box's height. */
async function titleSizes(page: Page): Promise<Array<{ id: string; fontPx: number; boxPx: number; visible: boolean }>> {
  return page.evaluate(() => {
    const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
    const zoom = new DOMMatrixReadOnly(viewport ? getComputedStyle(viewport).transform : 'none').a;
    const canvas = document.querySelector('[data-testid="flow-canvas"]')!.getBoundingClientRect();
    return [...document.querySelectorAll<HTMLElement>('[data-testid="flow-node"] .step-id')].map((title) => {
      const box = title.getBoundingClientRect();
      return {
        id: title.closest('[data-testid="flow-node"]')!.getAttribute('data-node-id') ?? '',
        fontPx: parseFloat(getComputedStyle(title).fontSize) * zoom,
        boxPx: box.height,
        visible: box.left >= canvas.left && box.right <= canvas.right && box.top >= canvas.top && box.bottom <= canvas.bottom,
      };
    });
  });
}

async function nodeRects(page: Page): Promise<Map<string, Rect>> {
  const entries = await page.getByTestId('flow-node').evaluateAll((nodes) =>
    nodes.map((node) => {
      const box = node.getBoundingClientRect();
      return [node.getAttribute('data-node-id') ?? '', { x: box.x, y: box.y, width: box.width, height: box.height }] as const;
    }),
  );
  return new Map(entries);
}

function overlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function overlapping(rects: Map<string, Rect>): string[] {
  const list = [...rects];
  return list.flatMap(([a, ra], i) => list.slice(i + 1).flatMap(([b, rb]) => (overlap(ra, rb) ? [`${a}/${b}`] : [])));
}

describe('a readable canvas (web mode, Chromium, 1440x900)', () => {
  const session = useSampleStudio();
  const flowFile = () => path.join(session.studio.projectDir, 'flows', 'main.ygtc');
  const layoutFile = () => `${flowFile()}.layout.json`;

  it('opens the sample with every node in view and every title at least 11 px tall', async () => {
    const page = await openPage(session.browser, session.studio.url, 'canvas readable sample');
    await opened(page);
    const sizes = await titleSizes(page);
    expect(sizes.map((size) => size.id).sort()).toHaveLength(12);
    for (const size of sizes) {
      expect(size.fontPx, size.id).toBeGreaterThanOrEqual(READABLE_PX);
      expect(size.boxPx, size.id).toBeGreaterThanOrEqual(READABLE_PX);
      expect(size.visible, `${size.id} in view`).toBe(true);
    }
    // Handles are big enough to aim at.
    const handle = await canvasNode(page, 'greet').locator('.handle-new').boundingBox();
    expect(handle?.width).toBeGreaterThanOrEqual(8);
    expect(handle?.height).toBeGreaterThanOrEqual(8);
    // No two cards, and no two route labels, cover each other; routes carry no label on the edge itself.
    expect(overlapping(await nodeRects(page))).toEqual([]);
    const labels = await page.locator('.route-label').evaluateAll((nodes) =>
      nodes.filter((n) => n.textContent).map((n, i) => {
        const box = n.getBoundingClientRect();
        return [String(i), { x: box.x, y: box.y, width: box.width, height: box.height }] as const;
      }),
    );
    expect(overlapping(new Map(labels))).toEqual([]);
    expect(await page.locator('.react-flow__edge-text').count()).toBe(0);
    await page.close();
  });

  it('keeps the main path in reading order, the route back to the menu a loop', async () => {
    const page = await openPage(session.browser, session.studio.url, 'canvas reading order');
    await opened(page);
    const rects = await nodeRects(page);
    const path = ['greet', 'say_hello', 'wait_for_name', 'welcome', 'menu', 'text_tools', 'wait_for_text', 'count', 'shout', 'shouted'];
    for (let i = 1; i < path.length; i += 1) {
      const before = rects.get(path[i - 1]!)!;
      const after = rects.get(path[i]!)!;
      // Further along the same row, or on a later row: never back to the left on the same row.
      const laterRow = after.y > before.y + before.height / 2;
      const furtherRight = after.x > before.x + before.width / 2;
      expect(laterRow || furtherRight, `${path[i]} after ${path[i - 1]}`).toBe(true);
    }
    await page.close();
  });

  it('never moves a node when a drag starts on its handle', async () => {
    const page = await openPage(session.browser, session.studio.url, 'canvas handle drag');
    await opened(page);
    const before = await canvasNode(page, 'say_hello').boundingBox();
    const handle = await canvasNode(page, 'say_hello').locator('.handle-new').boundingBox();
    if (!before || !handle) throw new Error('say_hello not drawn');
    // Pressed near the handle's edge: inside the larger hit area, outside the visible dot.
    await page.mouse.move(handle.x + handle.width + 3, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + 160, handle.y + 90, { steps: 8 });
    await expect.poll(() => page.locator('.react-flow__connection').count()).toBe(1);
    await page.mouse.up();
    expect(await canvasNode(page, 'say_hello').boundingBox()).toEqual(before);
    expect(existsSync(layoutFile())).toBe(false);
    await page.close();
  });

  it('lands palette nodes in free space, by + and by a drop onto a node', async () => {
    const page = await openPage(session.browser, session.studio.url, 'canvas palette placement');
    await opened(page);
    await canvasNode(page, 'welcome').click();
    await page.getByRole('button', { name: 'Add Log', exact: true }).click();
    await canvasNode(page, 'log').waitFor();
    const menu = await canvasNode(page, 'menu').boundingBox();
    if (!menu) throw new Error('menu not drawn');
    const canvas = await page.getByTestId('flow-canvas').boundingBox();
    await dropFromPalette(page, 'emit.log', { x: menu.x - canvas!.x + menu.width / 2, y: menu.y - canvas!.y + 20 });
    // The free space may be outside the view: fit the flow to see every node.
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await canvasNode(page, 'log_2').waitFor();
    await expect.poll(async () => (await nodeRects(page)).size).toBe(14);
    expect(overlapping(await nodeRects(page))).toEqual([]);
    // Undo twice: the sample is as it was for the tests after this one.
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(async () => (await nodeRects(page)).size).toBe(12);
    await expect.poll(() => page.getByTestId('save-state').innerText(), { timeout: 10_000 }).toBe('All changes saved');
    await page.close();
  });

  it('lays a flow out top to bottom when asked, and remembers it for that flow', async () => {
    const page = await openPage(session.browser, session.studio.url, 'canvas direction');
    await opened(page);
    await page.getByRole('group', { name: 'Layout direction' }).getByRole('button', { name: 'Top to bottom' }).click();
    await expect.poll(() => page.getByTestId('flow-canvas').getAttribute('data-direction')).toBe('DOWN');
    await expect.poll(() => (existsSync(layoutFile()) ? JSON.parse(readFileSync(layoutFile(), 'utf8')).direction : null), { timeout: 10_000 }).toBe('DOWN');
    await page.reload();
    await opened(page);
    expect(await page.getByTestId('flow-canvas').getAttribute('data-direction')).toBe('DOWN');
    const rects = await nodeRects(page);
    expect(rects.get('say_hello')!.y).toBeGreaterThan(rects.get('greet')!.y + rects.get('greet')!.height / 2);
    for (const size of await titleSizes(page)) expect(size.fontPx, size.id).toBeGreaterThanOrEqual(READABLE_PX);
    await page.close();
  });

  it('resizes, remembers and collapses the panels; Focus gives the canvas the width; the trace follows the latest turn', async () => {
    const page = await openPage(session.browser, session.studio.url, 'canvas panels');
    await opened(page);
    const canvasWidth = async () => (await page.getByTestId('flow-canvas').boundingBox())!.width;
    const before = await canvasWidth();
    const separator = page.getByRole('separator', { name: 'Resize the inspector and webchat panel' });
    const bar = (await separator.boundingBox())!;
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.width / 2 + 120, bar.y + bar.height / 2, { steps: 6 });
    await page.mouse.up();
    await expect.poll(canvasWidth).toBeGreaterThan(before + 100);
    const resized = await canvasWidth();
    await page.reload();
    await opened(page);
    await expect.poll(async () => Math.abs((await canvasWidth()) - resized)).toBeLessThan(4);

    await page.getByRole('button', { name: 'Focus', exact: true }).click();
    await expect.poll(canvasWidth).toBeGreaterThan(1400);
    await page.getByRole('button', { name: 'Focus', exact: true }).click();
    await expect.poll(async () => Math.abs((await canvasWidth()) - resized)).toBeLessThan(4);

    for (const text of ['hi', 'Ada', 'again', 'more', 'and more']) {
      await say(page, text);
    }
    await expect.poll(() => page.getByTestId('trace-turn').count()).toBe(5);
    const body = page.locator('.run-inspector .tab-body');
    const latestInView = async () => {
      const panel = (await body.boundingBox())!;
      const latest = (await page.getByTestId('trace-turn').last().boundingBox())!;
      return latest.y >= panel.y - 1 && latest.y < panel.y + panel.height;
    };
    await expect.poll(latestInView).toBe(true);
    const small = (await body.boundingBox())!.height;
    await page.getByRole('button', { name: 'Enlarge' }).click();
    await expect.poll(async () => (await body.boundingBox())!.height).toBeGreaterThan(small * 1.5);
    await page.close();
  });
});

describe.skipIf(!hasConformance)('conformance flows open readable', () => {
  let studio: ServedStudio;
  let browser: Browser;
  const flows = hasConformance ? readdirSync(conformancePath('flows/valid')).filter((name) => name.endsWith('.ygtc')).sort() : [];

  beforeAll(async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'studio-readable-'));
    for (const name of flows) cpSync(conformancePath(`flows/valid/${name}`), path.join(project, name));
    studio = await serveStudio(project);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('opens every valid conformance flow with its titles at least 11 px tall and its start node in view', async () => {
    const page = await openPage(browser, studio.url, 'canvas readable conformance');
    for (const name of flows) {
      await page.locator(`.tree-flow button[title="${name}"]`).click();
      await opened(page, name);
      const sizes = await titleSizes(page);
      expect(sizes.length, name).toBeGreaterThan(0);
      for (const size of sizes) expect(size.fontPx, `${name}: ${size.id}`).toBeGreaterThanOrEqual(READABLE_PX);
      const start = await page.locator('[data-testid="flow-node"]:has(.badge.start)').first().getAttribute('data-node-id');
      expect(sizes.find((size) => size.id === start)?.visible, `${name}: start node ${start} in view`).toBe(true);
    }
    await page.close();
  });
});
