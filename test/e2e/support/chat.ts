import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Types one message into the chat panel and sends it once the panel takes it (Send stays disabled
 * while a turn runs); resolves when the panel has taken the message and cleared the field.
 */
export async function say(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('Message');
  await expect.poll(() => input.isEnabled()).toBe(true);
  await input.fill(text);
  await expect.poll(() => page.locator('.chat-input button[type="submit"]').isEnabled()).toBe(true);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe('');
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
