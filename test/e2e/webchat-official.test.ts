/**
 * The official Bot Framework Web Chat (the published bundle of `botframework-webchat`, unchanged)
 * embedded in a page of another origin, against `serve`'s Direct Line endpoint on a project of this
 * test's own, over the WebSocket stream and over polling: the join greeting, typed turns, a parked
 * wait, adaptive card submits, quick replies and hero card buttons, and a restart of the server.
 * No user message may show twice or be marked failed, and the browser console stays free of errors.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/conformance';
import { writeWebchatProject } from '../support/webchat-project';
import { launchChromium, openPage } from './support/browser';
import { serveStudio, type ServedStudio } from './support/studio-server';

/** The embedding page, as a site would write it: fetch a token with the secret, then render Web Chat. */
const EMBEDDING_PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Embedded Web Chat</title></head>
  <body>
    <main id="chat" style="height: 860px"></main>
    <script src="/webchat.js"></script>
    <script>
      window.startChat = async ({ domain, secret, webSocket }) => {
        if (window.directLine) window.directLine.end();
        const answer = await fetch(domain + '/tokens/generate', { method: 'POST', headers: { Authorization: 'Bearer ' + secret } });
        const { token } = await answer.json();
        window.directLine = window.WebChat.createDirectLine({ domain, token, webSocket });
        const host = document.createElement('div');
        host.style.height = '100%';
        document.getElementById('chat').replaceChildren(host);
        window.WebChat.renderWebChat({ directLine: window.directLine, userID: 'ada', username: 'Ada' }, host);
      };
    </script>
  </body>
</html>`;

/** A static site on its own loopback port: another origin than the studio's. */
async function startSite(): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = readFileSync(path.join(repoRoot, 'node_modules', 'botframework-webchat', 'dist', 'webchat.js'));
  const server = http.createServer((req, res) => {
    if (req.url === '/webchat.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(bundle);
    } else if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(EMBEDDING_PAGE);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Console errors and uncaught exceptions of the page, each tagged with the phase it happened in. */
function watchConsole(page: Page) {
  const seen: { phase: string; text: string }[] = [];
  let phase = 'live';
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push({ phase, text: message.text() });
  });
  page.on('pageerror', (error) => seen.push({ phase, text: `uncaught: ${error.message}` }));
  return {
    enter: (next: string) => (phase = next),
    errors: (of = 'live') => seen.filter((entry) => entry.phase === of).map((entry) => entry.text),
  };
}

/** Web Chat polls once a second: conditions get time, on a busy machine too. */
const eventually = <T>(probe: () => Promise<T> | T) => expect.poll(probe, { timeout: 20_000 });

const userBubbles = (page: Page) => page.locator('.webchat__bubble--from-user').allInnerTexts();
const botBubbles = (page: Page) => page.locator('.webchat__bubble:not(.webchat__bubble--from-user)').allInnerTexts();
/** Web Chat typesets quotes: compare with straight ones. */
const plain = (texts: string[]) => texts.map((text) => text.replace(/[’‘]/g, "'").trim());

async function say(page: Page, text: string): Promise<void> {
  const box = page.locator('.webchat__send-box-text-box__input');
  await box.fill(text);
  await box.press('Enter');
}

async function startChat(page: Page, studio: ServedStudio, webSocket: boolean): Promise<void> {
  await page.evaluate((options) => (window as unknown as { startChat(o: unknown): Promise<void> }).startChat(options), {
    domain: String(studio.ready.directline),
    secret: String(studio.ready.secret),
    webSocket,
  });
}

/** Every user message once, none still sending or failed. */
async function expectDelivered(page: Page, messages: string[]): Promise<void> {
  await eventually(async () => plain(await userBubbles(page))).toEqual(messages);
  const transcript = page.locator('.webchat__basic-transcript');
  await eventually(() => transcript.innerText()).not.toMatch(/Sending|Send failed/);
}

describe('the official Bot Framework Web Chat against serve', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startSite>>;
  let project: string;
  beforeAll(async () => {
    [browser, site] = await Promise.all([launchChromium(), startSite()]);
    project = writeWebchatProject();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  describe.each([
    { mode: 'the WebSocket stream', webSocket: true },
    { mode: 'polling', webSocket: false },
  ])('over $mode', ({ mode, webSocket }) => {
    let studio: ServedStudio;
    beforeAll(async () => {
      studio = await serveStudio(project);
    });
    afterAll(async () => studio?.stop());

    it('greets on join, takes typed turns through a parked wait, card submits, quick replies and hero card buttons', async () => {
      const page = await openPage(browser, site.url, `official webchat over ${mode}`);
      const console = watchConsole(page);
      await startChat(page, studio, webSocket);

      await eventually(async () => plain(await botBubbles(page))).toEqual(["Welcome! What's your name?"]);
      await say(page, 'Ada');
      await eventually(async () => plain(await botBubbles(page))).toEqual(["Welcome! What's your name?", 'Nice to meet you, Ada!', 'What next?\n\nColours\nGoodbye']);

      // An adaptive card's Action.Submit: no user message, the flow routes on its data.
      await page.getByRole('button', { name: 'Colours' }).last().click();
      // Its hero card follows the text in the same activity.
      await eventually(async () => plain(await botBubbles(page)).slice(-2)).toEqual(['Which colour?', 'More colours\n\nOr pick one of these.\n\nGreen\nYellow']);

      // A quick reply (imBack) is sent as the user's message.
      await page.locator('.webchat__suggested-actions').getByRole('button', { name: 'Blue' }).click();
      await eventually(async () => plain(await botBubbles(page)).slice(-2)).toEqual(['You picked blue.', 'What next?\n\nColours\nGoodbye']);
      // The quick replies are gone once answered.
      await eventually(() => page.locator('.webchat__suggested-actions').getByRole('button', { name: 'Red' }).count()).toBe(0);

      // A hero card's postBack is sent without a message in the transcript.
      await page.getByRole('button', { name: 'Colours' }).last().click();
      await eventually(async () => plain(await botBubbles(page)).at(-2)).toBe('Which colour?');
      await page.getByRole('button', { name: 'Green' }).last().click();
      await eventually(async () => plain(await botBubbles(page)).slice(-2)).toEqual(['You picked green.', 'What next?\n\nColours\nGoodbye']);

      // A messageBack shows its display text and sends its value.
      await page.getByRole('button', { name: 'Colours' }).last().click();
      await eventually(async () => plain(await botBubbles(page)).at(-2)).toBe('Which colour?');
      await page.getByRole('button', { name: 'Yellow' }).last().click();
      await eventually(async () => plain(await botBubbles(page)).slice(-2)).toEqual(['You picked yellow (yellow).', 'What next?\n\nColours\nGoodbye']);

      await page.getByRole('button', { name: 'Goodbye' }).last().click();
      await eventually(async () => plain(await botBubbles(page)).at(-1)).toBe('Goodbye!');
      // After the flow ended, a typed message starts it again.
      await say(page, 'hello again');
      await eventually(async () => plain(await botBubbles(page)).at(-1)).toBe("You said hello again first. What's your name?");

      await expectDelivered(page, ['Ada', 'blue', 'Yellow, please', 'hello again']);
      expect(console.errors()).toEqual([]);
      await page.context().close();
    });

    it('starts over on a restarted server: the page gets a new conversation and its greeting', async () => {
      const page = await openPage(browser, site.url, `official webchat restart over ${mode}`);
      const console = watchConsole(page);
      await startChat(page, studio, webSocket);
      await eventually(async () => plain(await botBubbles(page))).toEqual(["Welcome! What's your name?"]);
      await say(page, 'Ada');
      await eventually(async () => plain(await botBubbles(page)).at(1)).toBe('Nice to meet you, Ada!');

      console.enter('restart');
      const port = studio.port;
      await studio.stop();
      studio = await serveStudio(project, ['--port', String(port)]);
      await startChat(page, studio, webSocket);
      await eventually(async () => plain(await botBubbles(page))).toEqual(["Welcome! What's your name?"]);
      // The old client may still have had a poll on its way, answered 401 by the new server: the
      // restart lasts until the new conversation has greeted.
      console.enter('live');
      await say(page, 'Grace');
      await eventually(async () => plain(await botBubbles(page)).at(1)).toBe('Nice to meet you, Grace!');
      await expectDelivered(page, ['Grace']);
      expect(console.errors()).toEqual([]);
      // While the server was down, the client may only have failed to reach it or been refused its old token.
      for (const error of console.errors('restart')) expect(error).toMatch(/ERR_CONNECTION_REFUSED|WebSocket connection to .* failed|Failed to load resource/);
      await page.context().close();
    });
  });
});
