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
