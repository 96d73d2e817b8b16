import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFlow } from '../../src/shared/flow';
import { launchChromium, openPage } from './support/browser';
import { canvasNode, canvasNodeIds, connectNodes, dropFromPalette, fitView, replaceYaml } from './support/editor';
import { serveStudio, type ServedStudio } from './support/studio-server';

let studio: ServedStudio;
let browser: Browser;
let flowFile: string;

beforeAll(async () => {
  studio = await serveStudio(mkdtempSync(path.join(tmpdir(), 'studio-editor-')));
  browser = await launchChromium();
  flowFile = path.join(studio.projectDir, 'orders.ygtc');
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

const onDisk = () => readFileSync(flowFile, 'utf8');
const irOnDisk = () => loadFlow(onDisk()).ir;

describe('the flow editor (web mode, Chromium)', () => {
  it('builds a flow in an empty project: palette drops, a connection, inspector edits, saved YAML', async () => {
    const page = await openPage(browser, studio.url, 'editor build flow');
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByLabel('New flow name').fill('orders');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('tab', { name: /orders\.ygtc/ }).waitFor();

    await dropFromPalette(page, 'emit.response', { x: 150, y: 200 });
    await canvasNode(page, 'response').waitFor();
    await dropFromPalette(page, 'session.wait', { x: 500, y: 200 });
    await canvasNode(page, 'wait').waitFor();
    await connectNodes(page, 'response', 'wait');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1);

    await canvasNode(page, 'response').click();
    await page.getByTestId('node-id').fill('confirm');
    await page.getByTestId('node-id').press('Enter');
    await canvasNode(page, 'confirm').waitFor();
    await page.getByLabel('Text (instead of messages)').fill('Your order is in.');
    await page.getByLabel('Text (instead of messages)').press('Enter');

    await expect.poll(() => irOnDisk()?.nodes.map((n) => n.id)).toEqual(['confirm', 'wait']);
    const ir = irOnDisk();
    expect(ir?.nodes[0]?.payload).toEqual({ messages: [{ type: 'text', text: 'Hello!' }], text: 'Your order is in.' });
    expect(ir?.nodes[0]?.routes.map((r) => r.to)).toEqual(['wait']);
    expect(ir?.nodes[1]?.opKey).toBe('session.wait');
    expect(loadFlow(onDisk()).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Positions live in the sidecar; the flow file holds none.
    expect(onDisk()).not.toMatch(/position|\bx:/);
    await expect.poll(() => JSON.parse(readFileSync(`${flowFile}.layout.json`, 'utf8')).nodes.confirm).toBeDefined();
    await expect.poll(() => page.getByTestId('tab').first().getAttribute('data-dirty')).toBe('false');
    await page.close();
  });

  it('edits the YAML and sees the canvas follow; undo and redo cross both views', async () => {
    const page = await openPage(browser, studio.url, 'editor yaml sync');
    await canvasNode(page, 'confirm').waitFor();
    await page.getByRole('button', { name: 'Split' }).click();
    await page.locator('.monaco-editor').waitFor();

    const withExtra = `${onDisk()}  audit:\n    emit.log:\n      text: checked\n`;
    await replaceYaml(page, withExtra);
    await fitView(page);
    await canvasNode(page, 'audit').waitFor();

    // A canvas edit after the YAML edit; then undo both from the canvas, and redo.
    await canvasNode(page, 'audit').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => canvasNodeIds(page)).toEqual(['confirm', 'wait']);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => canvasNodeIds(page)).toEqual(['audit', 'confirm', 'wait']);
    await page.locator('.react-flow__pane').click();
    await page.keyboard.press('ControlOrMeta+Z');
    await expect.poll(() => canvasNodeIds(page)).toEqual(['confirm', 'wait']);
    await expect.poll(() => page.locator('.monaco-editor .view-lines').innerText()).not.toContain('audit');
    await page.keyboard.press('ControlOrMeta+Shift+Z');
    await expect.poll(() => canvasNodeIds(page)).toEqual(['audit', 'confirm', 'wait']);

    // While the text does not parse, the canvas keeps its last good state and says so; undo in the YAML view.
    await replaceYaml(page, `${withExtra}  broken: [\n`);
    await page.getByTestId('text-errors').waitFor();
    expect(await canvasNodeIds(page)).toEqual(['audit', 'confirm', 'wait']);
    await page.keyboard.press('ControlOrMeta+Z');
    await expect.poll(() => page.getByTestId('text-errors').count()).toBe(0);
    await expect.poll(() => irOnDisk()?.nodes.map((n) => n.id)).toEqual(['confirm', 'wait', 'audit']);
    await page.close();
  });

  it('finds everything persisted after a reload, node positions included', async () => {
    const page = await openPage(browser, studio.url, 'editor reload');
    await canvasNode(page, 'confirm').waitFor();
    await fitView(page);
    const before = await canvasNode(page, 'wait').boundingBox();
    const target = before ? { x: before.x + before.width / 2, y: before.y + 20 } : null;
    if (!target) throw new Error('node not visible');
    await page.mouse.move(target.x, target.y);
    await page.mouse.down();
    await page.mouse.move(target.x + 120, target.y + 160, { steps: 6 });
    await page.mouse.up();
    const layoutFile = `${flowFile}.layout.json`;
    const flowBefore = onDisk();
    const yBefore = (JSON.parse(readFileSync(layoutFile, 'utf8')) as { nodes: Record<string, { y: number }> }).nodes.wait?.y ?? 0;
    await expect.poll(() => JSON.parse(readFileSync(layoutFile, 'utf8')).nodes.wait?.y).toBeGreaterThan(yBefore + 50);
    const saved = JSON.parse(readFileSync(layoutFile, 'utf8')).nodes.wait as { x: number; y: number };
    expect(onDisk()).toBe(flowBefore);

    await page.reload();
    await canvasNode(page, 'confirm').waitFor();
    await fitView(page);
    expect(await canvasNodeIds(page)).toEqual(['audit', 'confirm', 'wait']);
    const transform = await canvasNode(page, 'wait').evaluate((element) => element.closest('.react-flow__node')?.getAttribute('style') ?? '');
    expect(transform).toContain(`translate(${saved.x}px, ${saved.y}px)`);
    await page.close();
  });

  it('reloads a clean flow changed on disk by another program', async () => {
    const page = await openPage(browser, studio.url, 'editor disk change');
    await canvasNode(page, 'confirm').waitFor();
    await fitView(page);
    await canvasNode(page, 'audit').waitFor();
    writeFileSync(flowFile, onDisk().replace(/ {2}audit:\n(?: {4}.*\n)+/, ''));
    await expect.poll(() => canvasNodeIds(page)).toEqual(['confirm', 'wait']);
    await page.close();
  });
});
