import type { Locator, Page } from 'playwright-core';

/** Helpers for driving the flow editor in the browser tests and benchmarks. */
export function canvasNode(page: Page, id: string): Locator {
  return page.locator(`[data-testid="flow-node"][data-node-id="${id}"]`);
}

/** Waits until the canvas has laid out its flow (optionally a given file) and set the opening view. */
export async function canvasOpened(page: Page, flowPath?: string): Promise<void> {
  await page.locator(`[data-testid="flow-canvas"][data-opened="true"]${flowPath ? `[data-flow-path="${flowPath}"]` : ''}`).waitFor();
}

export async function canvasNodeIds(page: Page): Promise<string[]> {
  const ids = await page.getByTestId('flow-node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node-id') ?? ''));
  return ids.sort();
}

/** Drags a palette item (by op key) onto the canvas at a point relative to the canvas' top-left corner. */
export async function dropFromPalette(page: Page, opKey: string, at: { x: number; y: number }): Promise<void> {
  await page.locator(`[data-testid="palette-item"][data-op-key="${opKey}"]`).first().dragTo(page.getByTestId('flow-canvas'), { targetPosition: at });
}

/** Drags from a node's "+ route" handle to another node's input handle. */
export async function connectNodes(page: Page, from: string, to: string): Promise<void> {
  const source = await canvasNode(page, from).locator('.handle-new').boundingBox();
  const target = await canvasNode(page, to).locator('.handle-in').boundingBox();
  if (!source || !target) throw new Error('handles not visible');
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** Replaces the whole text of the YAML view by selecting all and pasting from the clipboard, as a user would. */
export async function replaceYaml(page: Page, text: string): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await page.evaluate((pasted) => navigator.clipboard.writeText(pasted), text);
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
}

/** Fits the flow into the canvas and waits until the viewport has stopped moving. */
export async function fitView(page: Page): Promise<void> {
  await canvasOpened(page);
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await viewportSettled(page);
}

/** Resolves once the canvas' pan and zoom have stayed the same for ten animation frames in a row. */
export async function viewportSettled(page: Page): Promise<void> {
  await page.locator('.react-flow__viewport').first().evaluate(
    (viewport) =>
      new Promise<void>((resolve) => {
        let last = '';
        let stableFrames = 0;
        const check = () => {
          const now = (viewport as HTMLElement).style.transform;
          stableFrames = now === last ? stableFrames + 1 : 0;
          last = now;
          if (stableFrames >= 10) resolve();
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
  );
}

export async function yamlText(page: Page): Promise<string> {
  return page.locator('.monaco-editor .view-lines').innerText();
}
