import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../support/cli';
import { launchChromium, openPage } from './support/browser';
import { canvasNode } from './support/editor';
import { serveStudio, type ServedStudio } from './support/studio-server';

let studio: ServedStudio;
let browser: Browser;

beforeAll(async () => {
  studio = await serveStudio();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

const flowFile = () => path.join(studio.projectDir, 'flows', 'main.ygtc');

/** What `greentic-studio validate --json <project>` reports, as `path line code` lines. */
async function validateReport(): Promise<string[]> {
  const run = await runCliCaptured('validate', '--json', studio.projectDir);
  const report = JSON.parse(run.stdout) as { files: Array<{ path: string; diagnostics: Array<{ line: number; code: string }> }> };
  return report.files.flatMap((file) => file.diagnostics.map((d) => `${path.relative(studio.projectDir, file.path).split(path.sep).join('/')} ${d.line} ${d.code}`)).sort();
}

describe('every mistake is visible (web mode, Chromium)', () => {
  it('lists the project problems as validate does, and each opens its node and YAML line', async () => {
    writeFileSync(path.join(studio.projectDir, 'flows', 'side.ygtc'), 'id: side\ntype: messaging\nnodes:\n  only:\n    emit.log: {text: x}\n    routing:\n      - condition: in.x == "1"\n        to: only\n      - out: true\n');
    const page = await openPage(browser, studio.url, 'problems list');
    await canvasNode(page, 'greet').waitFor();

    const shown = async () =>
      (
        await page.getByTestId('problem').evaluateAll((items) =>
          items.map((item) => `${item.getAttribute('data-file')} ${item.querySelector('[data-testid="problem-line"]')?.textContent?.replace('line ', '')} ${item.getAttribute('data-code')}`),
        )
      ).sort();
    const agreed = async () => (await validateReport()).every((line) => shownNow.includes(line));
    let shownNow: string[] = [];
    await expect
      .poll(async () => {
        shownNow = await shown();
        return agreed();
      })
      .toBe(true);
    expect(shownNow).toContain('flows/side.ygtc 9 ignored_route');

    // A problem of another flow opens that flow, selects its node, and shows the line.
    await page.locator('[data-testid="problem"][data-code="ignored_route"] [data-testid="problem-line"]').click();
    await page.getByRole('tab', { name: /side\.ygtc/ }).waitFor();
    await page.locator('.monaco-editor').waitFor();
    await expect.poll(() => page.locator('.monaco-editor .current-line ~ .line-numbers, .monaco-editor .active-line-number').first().textContent()).toBe('9');
    await page.getByRole('button', { name: "Replace 'out: true' with 'to: out'" }).click();
    await expect.poll(() => readFileSync(path.join(studio.projectDir, 'flows', 'side.ygtc'), 'utf8'), { timeout: 10_000 }).toContain('      - to: out\n');
    await page.close();
  });

  it('shows a route to a missing node as missing, in the inspector and the chat', async () => {
    writeFileSync(flowFile(), readFileSync(flowFile(), 'utf8').replace('      - to: say_hello', '      - to: say_helo'));
    const page = await openPage(browser, studio.url, 'problems missing target');
    await canvasNode(page, 'greet').waitFor();
    await expect.poll(() => page.locator('[data-testid="problem"][data-file="flows/main.ygtc"][data-code="missing_node"]').count()).toBe(1);
    await page.locator('[data-testid="problem"][data-file="flows/main.ygtc"][data-code="missing_node"] [data-testid="problem-node"]').click();
    await page.getByTestId('node-inspector').waitFor();
    const target = page.getByLabel('Route 1 target');
    await expect.poll(() => target.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe('say_helo (missing node)');

    // The chat cannot start this flow, and says which node is missing.
    const chat = page.getByRole('region', { name: 'Webchat' });
    await expect.poll(() => chat.innerText(), { timeout: 15_000 }).toContain("Missing node 'say_helo'");
    expect(await chat.innerText()).not.toContain('unknown_flow');
    await page.close();
  });

  it('says that YAML which does not parse is a problem, at its line', async () => {
    const page = await openPage(browser, studio.url, 'problems yaml');
    await canvasNode(page, 'greet').waitFor();
    await page.getByRole('button', { name: 'YAML', exact: true }).click();
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    await page.keyboard.type('  broken: "unclosed');
    // The unsaved text is what the list checks: it says the YAML does not parse, not "No problems".
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="problem"][data-code="yaml_syntax"]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('problems-none').count()).toBe(0);
    await page.close();
  });
});
