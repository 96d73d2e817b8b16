import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { serveStudio, type ServedStudio } from './studio-server';

/**
 * For a test file that drives the sample project in a browser: serves a fresh copy before the file's
 * tests and closes everything after. Read `studio` and `browser` inside tests, not at import time.
 */
export function useSampleStudio(): { readonly studio: ServedStudio; readonly browser: Browser } {
  const session = {} as { studio: ServedStudio; browser: Browser };
  beforeAll(async () => {
    session.studio = await serveStudio();
    session.browser = await launchChromium();
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.studio?.stop();
  });
  return session;
}
