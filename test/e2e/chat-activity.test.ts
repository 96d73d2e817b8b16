/**
 * The studio's chat panel shows what a Direct Line client would get: hero cards and quick replies a
 * flow sends, and on demand the activity JSON of each reply.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWebchatProject } from '../support/webchat-project';
import { launchChromium, openPage } from './support/browser';
import { serveStudio, type ServedStudio } from './support/studio-server';

describe('chat panel: replies as a Direct Line client receives them', () => {
  let studio: ServedStudio;
  let browser: Browser;
  beforeAll(async () => {
    [studio, browser] = await Promise.all([serveStudio(writeWebchatProject()), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('renders quick replies and hero cards, answers them, and shows each reply\'s activity JSON', async () => {
    const page = await openPage(browser, studio.url, 'chat panel activity json');
    const input = page.getByLabel('Message');
    await expect.poll(() => input.isEnabled(), { timeout: 20_000 }).toBe(true);
    await input.fill('hi');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('bot-message').first().textContent()).toBe("You said hi first. What's your name?");
    await input.fill('Ada');
    await input.press('Enter');
    // The menu card's button, not the canvas's "Breakpoint on colours" (which a loose name would match before the card arrives).
    const menuChoice = (name: string) => page.locator('.bot-reply').filter({ hasText: 'What next?' }).last().getByRole('button', { name, exact: true });
    await menuChoice('Colours').click();

    const offer = page.locator('.bot-reply').filter({ hasText: 'Which colour?' });
    await expect.poll(() => offer.getByTestId('hero-card').textContent()).toContain('More colours');
    await offer.getByRole('button', { name: 'Direct Line activity' }).click();
    const activity = JSON.parse((await offer.getByTestId('directline-activity').textContent()) ?? '') as Record<string, unknown>;
    expect(activity).toEqual({
      type: 'message',
      from: { id: 'bot', name: 'Bot', role: 'bot' },
      text: 'Which colour?',
      attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: expect.objectContaining({ title: 'More colours' }) }],
      suggestedActions: { actions: [expect.objectContaining({ type: 'imBack', value: 'blue' }), expect.objectContaining({ type: 'imBack', value: 'red' })] },
    });

    await offer.getByRole('group', { name: 'Suggested actions' }).getByRole('button', { name: 'Blue' }).click();
    await expect.poll(() => page.getByTestId('bot-message').filter({ hasText: 'You picked' }).last().textContent()).toBe('You picked blue.');
    await expect.poll(() => page.locator('.bot-reply').filter({ hasText: 'What next?' }).count()).toBe(2);
    await menuChoice('Colours').click();
    await page.locator('.bot-reply').last().getByTestId('hero-card').getByRole('button', { name: 'Yellow' }).waitFor();
    await page.locator('.bot-reply').filter({ hasText: 'Which colour?' }).last().getByRole('button', { name: 'Yellow' }).click();
    // The panel sends a messageBack's value as a card submit (its text stays with Web Chat clients).
    await expect.poll(() => page.getByTestId('bot-message').filter({ hasText: 'You picked' }).last().textContent()).toBe('You picked message (yellow).');
    await page.close();
  });
});
