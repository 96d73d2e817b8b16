// Regenerates docs/screenshot.png: the sample project in web mode after a short conversation.
// Run after `npm run build`:  node --import tsx scripts/readme-screenshot.ts
import path from 'node:path';
import { launchChromium } from '../test/e2e/support/browser';
import { serveStudio } from '../test/e2e/support/studio-server';
import { repoRoot } from '../test/support/conformance';

const studio = await serveStudio();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
  await page.goto(studio.url);
  await page.getByTestId('flow-node').first().waitFor();
  const input = page.getByLabel('Message');
  for (const text of ['hi', 'Ada']) {
    await input.fill(text);
    await input.press('Enter');
    await page.waitForTimeout(400);
  }
  await page.screenshot({ path: path.join(repoRoot, 'docs', 'screenshot.png') });
} finally {
  await browser.close();
  await studio.stop();
}
