import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Types a message into the chat panel once it can take one (a busy machine may take a while to start). */
export async function say(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('Message');
  await expect.poll(() => input.isEnabled(), { timeout: 30_000 }).toBe(true);
  await input.fill(text);
  await input.press('Enter');
}

/** Talks the sample flow to its text tools: greeted, named, then the menu card's *Text tools*. */
export async function reachTextTools(page: Page): Promise<void> {
  await say(page, 'hi');
  await page.getByTestId('bot-message').first().waitFor();
  await say(page, 'Ada');
  const card = page.getByTestId('adaptive-card').first();
  await card.waitFor();
  await card.getByRole('button', { name: 'Text tools' }).click();
  await expect.poll(() => page.getByTestId('bot-message').last().textContent()).toBe('Send me a sentence and I will count its words and shout it back.');
}
