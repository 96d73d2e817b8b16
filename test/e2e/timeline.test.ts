import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage } from './support/browser';
import { canvasNode } from './support/editor';
import { copySampleProject, serveStudio, type ServedStudio } from './support/studio-server';

/**
 * The sample project with a flow made for the timeline: a template, a nested flow, the WASM text
 * tools, a wait; the turn after the wait fails at a component the studio cannot run.
 */
const MAIN = `id: main
type: messaging
start: greet
nodes:
  greet:
    templating.handlebars:
      text: "hi {{in.input.text}}"
    routing:
      - to: call
  call:
    flow.call:
      flow_id: helper
      input: { said: "{{in.input.text}}" }
    routing:
      - to: count
  count:
    studio.sample.text-tools.stats:
      input: "{{in.input.text}}"
    routing:
      - to: say
  say:
    emit.response:
      messages:
        - type: text
          text: "words {{node.count.words}}"
    routing:
      - to: wait
  wait:
    session.wait:
      reason: waiting for more
    routing:
      - to: missing
  missing:
    component.exec:
      component: ai.greentic.not-here
      operation: run
      input: {}
    routing: out
`;

const HELPER = `id: helper
type: messaging
start: inner
nodes:
  inner:
    templating.handlebars:
      text: "helper heard {{in.said}}"
    routing: out
`;

function timelineProject(): string {
  const dir = copySampleProject();
  writeFileSync(path.join(dir, 'flows', 'main.ygtc'), MAIN);
  writeFileSync(path.join(dir, 'flows', 'helper.ygtc'), HELPER);
  const pack = readFileSync(path.join(dir, 'pack.yaml'), 'utf8').replace(/\nflows:\n[\s\S]*?\nassets:/, '\nflows:\n  - id: main\n    file: flows/main.ygtc\n    tags: [default]\n    entrypoints: [default]\n  - id: helper\n    file: flows/helper.ygtc\nassets:');
  writeFileSync(path.join(dir, 'pack.yaml'), pack);
  return dir;
}

let studio: ServedStudio;
let browser: Browser;

beforeAll(async () => {
  studio = await serveStudio(timelineProject());
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

async function say(page: Page, text: string) {
  const input = page.getByLabel('Message');
  await expect.poll(() => input.isEnabled()).toBe(true);
  await input.fill(text);
  await input.press('Enter');
}

type Row = { node: string | null; kind: string | null; depth: string | null; failed: boolean; selected: string | null; time: string };

function rows(page: Page): Promise<Row[]> {
  return page.getByTestId('waterfall-row').evaluateAll((elements) =>
    elements.map((element) => ({
      node: element.getAttribute('data-node-id'),
      kind: element.getAttribute('data-kind'),
      depth: element.getAttribute('data-depth'),
      failed: element.classList.contains('failed'),
      selected: element.getAttribute('aria-selected'),
      time: element.querySelector('[data-testid="waterfall-time"]')?.textContent ?? '',
    })),
  );
}

const shape = (list: Row[]) => list.filter((row) => row.kind !== 'component').map((row) => `${row.depth}:${row.kind}:${row.node ?? ''}`);

describe('the turn timeline in the run inspector', () => {
  it('shows a turn as a waterfall linked to the canvas, marks errors, and saves and reopens it as OTLP JSON', async () => {
    const page = await openPage(browser, studio.url, 'timeline waterfall');
    await page.getByRole('navigation', { name: 'Project' }).getByRole('button', { name: 'main', exact: true }).click();
    await canvasNode(page, 'greet').waitFor();
    await expect.poll(() => page.getByText('main · demo', { exact: false }).count()).toBeGreaterThan(0);
    await say(page, 'one two three');
    await expect.poll(() => page.getByTestId('bot-message').last().textContent()).toBe('words 3');
    await page.getByRole('tab', { name: 'Timeline' }).click();

    await expect.poll(async () => shape(await rows(page))).toEqual(['0:turn:', '1:node:greet', '1:node:call', '2:node:inner', '1:node:count', '1:node:say', '1:node:wait']);
    const first = await rows(page);
    // The WASM call of `count` nests under its node, and every row says when it started and how long it took.
    const countAt = first.findIndex((row) => row.node === 'count');
    expect(first[countAt + 1]).toMatchObject({ kind: 'component', depth: '2' });
    for (const row of first) expect(row.time).toMatch(/^\d+\.\d \+\d+\.\d ms$/);
    expect(await page.getByTestId('waterfall-row').filter({ hasText: 'studio.sample.text-tools.stats' }).count()).toBe(1);

    // Waterfall to canvas: picking a node's row selects the node.
    await page.locator('[data-testid="waterfall-row"][data-kind="node"][data-node-id="count"]').click();
    await expect.poll(() => page.locator('.react-flow__node.selected [data-testid="flow-node"]').getAttribute('data-node-id')).toBe('count');
    // Canvas to waterfall: selecting a node on the canvas marks its row.
    await canvasNode(page, 'greet').click();
    await expect.poll(async () => (await rows(page)).filter((row) => row.selected === 'true').map((row) => row.node)).toEqual(['greet']);
    expect((await rows(page)).find((row) => row.node === 'count' && row.kind === 'node')?.selected).toBe('false');

    await say(page, 'more');
    await expect.poll(() => page.getByLabel('Turn', { exact: true }).locator('option').count()).toBe(2);
    await expect.poll(async () => (await rows(page)).find((row) => row.node === 'missing' && row.kind === 'node')).toMatchObject({ failed: true });
    expect((await rows(page))[0]).toMatchObject({ kind: 'turn', failed: true });
    expect(await page.locator('[data-testid="waterfall-row"][data-kind="node"][data-node-id="missing"] .waterfall-error').count()).toBe(1);

    await page.getByLabel('Trace file').fill('traces/failed-turn.json');
    await page.getByRole('button', { name: 'Save as OTLP JSON' }).click();
    const saved = path.join(studio.projectDir, 'traces', 'failed-turn.json');
    await expect.poll(() => page.getByTestId('waterfall-notice').textContent()).toBe(`Saved to ${saved}`);
    const document = JSON.parse(readFileSync(saved, 'utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> };
    const names = document.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.name)));
    expect(names).toEqual(expect.arrayContaining(['greentic.op.runner_exec', 'greentic.node missing']));

    // Back to turn 1, then open the saved file: the failed turn is shown again, from the file.
    await page.getByLabel('Turn', { exact: true }).selectOption({ label: '1' });
    await expect.poll(async () => (await rows(page)).some((row) => row.node === 'greet')).toBe(true);
    await page.getByRole('button', { name: 'Open OTLP JSON' }).click();
    await expect.poll(async () => shape(await rows(page))).toEqual(['0:turn:', '1:node:missing']);
    expect((await rows(page))[1]).toMatchObject({ failed: true });
    await page.getByText('File traces/failed-turn.json').waitFor();

    // A file that is not a trace says so.
    writeFileSync(path.join(studio.projectDir, 'traces', 'broken.json'), '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"x"}]}]}]}');
    await page.getByLabel('Trace file').fill('traces/broken.json');
    await page.getByRole('button', { name: 'Open OTLP JSON' }).click();
    await expect.poll(() => page.getByTestId('waterfall-error').textContent()).toContain('traceId must be 32 hexadecimal digits');
    expect(existsSync(saved)).toBe(true);
    await page.close();
  });
});
