import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFlow } from '../../src/shared/flow';
import { conformancePath, hasConformance } from '../support/conformance';
import { launchChromium, openPage } from './support/browser';
import { fitView } from './support/editor';
import { serveStudio, type ServedStudio } from './support/studio-server';

let studio: ServedStudio;
let browser: Browser;
const flows = hasConformance ? readdirSync(conformancePath('flows/valid')).filter((name) => name.endsWith('.ygtc')).sort() : [];

beforeAll(async () => {
  if (!hasConformance) return;
  // A scratch project holding the corpus flows (copied to a temporary folder, never into the repository).
  const project = mkdtempSync(path.join(tmpdir(), 'studio-conformance-'));
  for (const name of flows) cpSync(conformancePath(`flows/valid/${name}`), path.join(project, name));
  studio = await serveStudio(project);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

/** What the canvas must show of a flow file: one box per node, one edge per route to an existing node. */
function expectedGraph(text: string): { nodes: string[]; edges: number } {
  const ir = loadFlow(text).ir;
  const ids = new Set(ir?.nodes.map((n) => n.id));
  return {
    nodes: [...ids].sort(),
    edges: ir?.nodes.reduce((sum, node) => sum + node.routes.filter((r) => r.to !== null && ids.has(r.to)).length, 0) ?? 0,
  };
}

describe.skipIf(!hasConformance)('conformance flows on the canvas', () => {
  it('draws every valid conformance flow with as many nodes and edges as the file has', async () => {
    expect(flows.length).toBeGreaterThan(5);
    const page = await openPage(browser, studio.url, 'editor conformance flows');
    for (const name of flows) {
      const expected = expectedGraph(readFileSync(conformancePath(`flows/valid/${name}`), 'utf8'));
      await page.locator(`.tree-flow button[title="${name}"]`).click();
      await page.locator(`[data-testid="tab"][data-path="${name}"]`).waitFor();
      await fitView(page);
      await expect
        .poll(() => page.getByTestId('flow-node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node-id') ?? '').sort()), { message: name })
        .toEqual(expected.nodes);
      await expect.poll(() => page.locator('.react-flow__edge').count(), { message: name }).toBe(expected.edges);
    }
    await page.close();
  });
});
