import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { openPage } from './support/browser';
import { canvasNode, fitView } from './support/editor';
import { WEATHER_FLOW } from './support/flows';
import { useSampleStudio } from './support/sample-session';

const session = useSampleStudio();

/** Generous: other test runs share the machine's two cores. */
const SLOW = { timeout: 20_000 };

async function openStudio(name: string, options: { bypassCSP?: boolean } = {}): Promise<Page> {
  const page = await openPage(session.browser, session.studio.url, name, options);
  await canvasNode(page, 'greet').waitFor();
  await fitView(page);
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('Message');
  await expect.poll(() => input.isEnabled(), SLOW).toBe(true);
  await input.fill(text);
  await input.press('Enter');
}

const pausedNode = (page: Page) => page.getByTestId('paused-turn').getAttribute('data-node-id', { timeout: 20_000 });
const lastBotText = (page: Page) => page.getByTestId('bot-message').last().textContent();
const breakpointDot = (page: Page, id: string) => canvasNode(page, id).getByTestId('breakpoint-dot');

/** Waits until the node's dot shows the breakpoint set (or not) and the flow's sidecar has stored it. */
async function expectBreakpoint(page: Page, flowFile: string, nodeId: string, set: boolean): Promise<void> {
  await expect.poll(() => breakpointDot(page, nodeId).getAttribute('aria-pressed'), SLOW).toBe(String(set));
  await expect.poll(() => storedBreakpoints(flowFile).includes(nodeId), SLOW).toBe(set);
}

function storedBreakpoints(flowFile: string): string[] {
  const sidecar = path.join(session.studio.projectDir, 'flows', `${flowFile}.breakpoints.json`);
  return existsSync(sidecar) ? Object.keys((JSON.parse(readFileSync(sidecar, 'utf8')) as { breakpoints: object }).breakpoints) : [];
}

function jsonEditor(page: Page, label: string): Locator {
  return page.locator(`[data-testid="json-editor"][data-label="${label}"]`);
}

/** The visible text of one of the debugger's JSON editors (Monaco draws spaces as no-break spaces). */
async function editorText(page: Page, label: string): Promise<string> {
  return (await jsonEditor(page, label).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

/** The middle of the YAML view's glyph margin beside the line that reads `text`, or null while it is not drawn. */
function gutterPoint(page: Page, text: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate((wanted) => {
    const line = [...document.querySelectorAll('.yaml-view .view-line')].find((element) => element.textContent?.replace(/\u00a0/g, ' ').trim() === wanted);
    const margin = document.querySelector('.yaml-view .glyph-margin');
    if (!line || !margin) return null;
    const lineBox = line.getBoundingClientRect();
    const marginBox = margin.getBoundingClientRect();
    return { x: Math.round(marginBox.left + marginBox.width / 2), y: Math.round(lineBox.top + lineBox.height / 2) };
  }, text);
}

/** Replaces the text of a JSON editor as a user would: select all, type. */
async function typeInEditor(page: Page, label: string, text: string): Promise<void> {
  await jsonEditor(page, label).locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

describe('the flow debugger in the browser (web mode, Chromium)', () => {
  it('stops at an F9 breakpoint, shows the resolved input, takes an edit, steps with F10 and continues with F5', async () => {
    const page = await openStudio('debugger journey');
    const sidecar = path.join(session.studio.projectDir, 'flows', 'main.ygtc.breakpoints.json');
    const flowText = readFileSync(path.join(session.studio.projectDir, 'flows', 'main.ygtc'), 'utf8');

    await canvasNode(page, 'greet').click();
    await page.keyboard.press('F9');
    await expectBreakpoint(page, 'main.ygtc', 'greet', true);
    await expect.poll(() => existsSync(sidecar) && JSON.parse(readFileSync(sidecar, 'utf8')), SLOW).toMatchObject({ breakpoints: { greet: {} } });

    await say(page, 'hi');
    expect(await pausedNode(page)).toBe('greet');
    await expect.poll(() => canvasNode(page, 'greet').getAttribute('data-run'), SLOW).toBe('paused');
    expect(await page.getByTestId('chat-paused').textContent()).toContain('Paused before greet');
    expect(await page.getByLabel('Message').isDisabled()).toBe(true);
    await expect.poll(() => editorText(page, 'Node input (JSON)'), SLOW).toContain('Hello! You said \\"hi\\"');

    // Invalid JSON is refused, with the reason, and blocks the step.
    await typeInEditor(page, 'Node input (JSON)', '{"text": "Edited by the designer"');
    await expect.poll(() => jsonEditor(page, 'Node input (JSON)').locator('..').getByTestId('json-problem').textContent(), SLOW).toMatch(/^Not valid JSON: /);
    await page.keyboard.press('F10');
    await expect.poll(() => page.getByTestId('debug-error').textContent(), SLOW).toContain('the node input: Not valid JSON');
    expect(await pausedNode(page)).toBe('greet');

    await page.keyboard.type('}');
    await expect.poll(() => jsonEditor(page, 'Node input (JSON)').locator('..').getByTestId('json-problem').textContent(), SLOW).toBe('');
    await page.keyboard.press('F10');
    await expect.poll(() => pausedNode(page), SLOW).toBe('say_hello');
    await expect.poll(() => canvasNode(page, 'say_hello').getAttribute('data-run'), SLOW).toBe('paused');
    await expect.poll(() => editorText(page, 'Node input (JSON)'), SLOW).toContain('Edited by the designer');

    await page.keyboard.press('F5');
    await expect.poll(() => lastBotText(page), SLOW).toBe('Edited by the designer');
    await expect.poll(() => page.getByTestId('paused-turn').count(), SLOW).toBe(0);
    expect(await page.getByLabel('Message').isEnabled()).toBe(true);

    // The trace marks the edit.
    await page.getByRole('tab', { name: 'Trace' }).click();
    const greetStep = page.locator('[data-testid="trace-step"][data-node-id="greet"]').last();
    expect(await greetStep.locator('summary .badge.edited').textContent()).toBe('edited');

    // Breakpoints live in the sidecar, never in the flow; F9 takes this one away again.
    expect(readFileSync(path.join(session.studio.projectDir, 'flows', 'main.ygtc'), 'utf8')).toBe(flowText);
    await canvasNode(page, 'greet').click();
    await page.keyboard.press('F9');
    await expectBreakpoint(page, 'main.ygtc', 'greet', false);
    await page.close();
  });

  it('sets a breakpoint from the YAML view gutter and stops there', async () => {
    const page = await openStudio('debugger gutter');
    await page.getByRole('button', { name: 'Split', exact: true }).click();
    // Monaco redraws its lines while the split view settles: aim once the line stays where it is.
    let point: { x: number; y: number } | null = null;
    await expect
      .poll(async () => {
        const previous = point;
        point = await gutterPoint(page, 'say_hello:');
        return point !== null && previous !== null && point.x === previous.x && point.y === previous.y;
      }, SLOW)
      .toBe(true);
    const { x, y } = point as unknown as { x: number; y: number };
    await page.mouse.click(x, y);
    await expectBreakpoint(page, 'main.ygtc', 'say_hello', true);
    await expect.poll(() => page.locator('.yaml-view .yaml-breakpoint-glyph').count(), SLOW).toBe(1);

    await say(page, 'hello');
    expect(await pausedNode(page)).toBe('say_hello');
    await expect.poll(() => page.locator('.yaml-view .yaml-paused-line').count(), SLOW).toBe(1);
    await page.keyboard.press('F5');
    await expect.poll(() => lastBotText(page), SLOW).toBe('Hello! You said "hello". What\'s your name?');
    await expect.poll(() => page.locator('.yaml-view .yaml-paused-line').count(), SLOW).toBe(0);

    // A second click clears it.
    await page.mouse.click(x, y);
    await expectBreakpoint(page, 'main.ygtc', 'say_hello', false);
    await expect.poll(() => page.locator('.yaml-view .yaml-breakpoint-glyph').count(), SLOW).toBe(0);
    await page.close();
  });

  it('replays a past turn from a node with an edited input and shows what differs', async () => {
    const page = await openStudio('debugger replay');
    await say(page, 'hi');
    await expect.poll(() => lastBotText(page), SLOW).toBe('Hello! You said "hi". What\'s your name?');
    await page.getByRole('tab', { name: 'Trace' }).click();
    const greetStep = page.locator('[data-testid="trace-step"][data-node-id="greet"]').last();
    await greetStep.locator('summary').click();
    await greetStep.getByRole('button', { name: 'Replay from here' }).click();
    const dialog = page.getByTestId('replay-dialog');
    await expect.poll(() => editorText(page, 'Replay input (JSON)'), SLOW).toContain('Hello! You said');

    await typeInEditor(page, 'Replay input (JSON)', '{"text": "A different greeting"}');
    await dialog.getByRole('button', { name: 'Replay', exact: true }).click();
    const result = dialog.getByTestId('replay-result');
    await result.waitFor(SLOW);
    const greet = result.locator('[data-testid="replay-node"][data-node-id="greet"]');
    expect(await greet.getAttribute('data-same')).toBe('false');
    const difference = greet.getByTestId('replay-difference').first();
    expect(await difference.locator('td').first().textContent()).toBe('/output/text');
    expect(await difference.locator('mark').textContent()).toBe('"A different greeting"');
    expect(await result.getByTestId('replay-replies').textContent()).toContain('A different greeting');
    expect(await result.getByTestId('replay-replies').textContent()).toContain('Hello! You said "hi"');

    // A side run: the conversation's session and chat are as they were.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count(), SLOW).toBe(0);
    expect(await page.getByTestId('bot-message').count()).toBe(1);
    await page.close();
  });

  it('is reached from the keyboard alone, and its panel has no serious accessibility violations while paused', async () => {
    const page = await openStudio('debugger axe', { bypassCSP: true });
    // The skip link to the canvas, Tab on to the node, F9; then the message field, typing and Enter.
    await page.getByText('Skip to the canvas').focus();
    await page.keyboard.press('Enter');
    const focusedNode = () => page.evaluate(() => document.activeElement?.closest('.react-flow__node')?.getAttribute('data-id') ?? null);
    for (let presses = 0; presses < 40 && (await focusedNode()) !== 'greet'; presses += 1) await page.keyboard.press('Tab');
    expect(await focusedNode()).toBe('greet');
    await page.keyboard.press('F9');
    await expectBreakpoint(page, 'main.ygtc', 'greet', true);
    await page.getByLabel('Message').focus();
    await page.keyboard.type('hi');
    await page.keyboard.press('Enter');
    expect(await pausedNode(page)).toBe('greet');
    await jsonEditor(page, 'Flow state (JSON)').locator('.monaco-editor').waitFor();
    expect(await seriousViolations(page, '[data-testid="debug-panel"]')).toEqual([]);
    await page.keyboard.press('Shift+F5');
    await expect.poll(() => page.getByTestId('system-message').last().textContent(), SLOW).toContain('stopped in the debugger');
    // The breakpoint stays in the sidecar for the next test run of this flow; take it away.
    await breakpointDot(page, 'greet').click();
    await expectBreakpoint(page, 'main.ygtc', 'greet', false);
    await page.close();
  });

  it('stops only when the breakpoint condition holds, checking the condition as it is typed', async () => {
    const page = await openStudio('debugger condition');
    await canvasNode(page, 'greet').click();
    await page.keyboard.press('F9');
    await page.getByRole('tab', { name: 'Debug' }).click();
    const condition = page.getByLabel('Condition on greet');
    await condition.fill('in.input.text = "stop"');
    await expect.poll(() => page.getByTestId('breakpoint-row').getByRole('alert').textContent(), SLOW).toContain('has no == or != comparison');
    await condition.fill('in.input.text == "stop"');
    await expect.poll(() => page.getByTestId('breakpoint-row').getByRole('alert').count(), SLOW).toBe(0);
    await condition.press('Enter');
    const sidecar = path.join(session.studio.projectDir, 'flows', 'main.ygtc.breakpoints.json');
    await expect.poll(() => existsSync(sidecar) && JSON.parse(readFileSync(sidecar, 'utf8')), SLOW).toMatchObject({ breakpoints: { greet: { condition: 'in.input.text == "stop"' } } });
    await expect.poll(() => breakpointDot(page, 'greet').getAttribute('class'), SLOW).toContain('conditional');

    await say(page, 'hi');
    await expect.poll(() => lastBotText(page), SLOW).toBe('Hello! You said "hi". What\'s your name?');
    expect(await page.getByTestId('paused-turn').count()).toBe(0);

    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    await say(page, 'stop');
    expect(await pausedNode(page)).toBe('greet');
    await page.keyboard.press('Shift+F5');
    await expect.poll(() => page.getByTestId('system-message').last().textContent(), SLOW).toContain('stopped in the debugger at node greet');
    await page.getByRole('button', { name: 'Remove the breakpoint on greet' }).click();
    await expectBreakpoint(page, 'main.ygtc', 'greet', false);
    await page.close();
  });

  it('ends a turn left paused too long, says so in the chat, and leaves the session as it was', async () => {
    const page = await openStudio('debugger timeout');
    await page.getByRole('tab', { name: 'Debug' }).click();
    const timeout = page.getByLabel('A paused turn ends by itself after (seconds)');
    await expect.poll(() => timeout.inputValue(), SLOW).toMatch(/^\d+$/);
    const before = await timeout.inputValue();
    await timeout.fill('2');
    await timeout.press('Enter');
    await expect.poll(() => page.getByTestId('pause-timeout-saved').textContent(), SLOW).toContain('after 2 s');
    try {
      await canvasNode(page, 'greet').click();
      await page.keyboard.press('F9');
      await expectBreakpoint(page, 'main.ygtc', 'greet', true);
      await say(page, 'hi');
      await expect
        .poll(() => page.getByTestId('system-message').last().textContent(), { timeout: 30_000 })
        .toMatch(/stayed paused at node greet \(flow main\) for longer than 2000 ms and was ended; the session is as it was before the turn/);
      await expect.poll(() => page.getByTestId('paused-turn').count(), SLOW).toBe(0);
      expect(await page.getByTestId('chat-paused').count()).toBe(0);

      // The timed-out turn parked nothing: the next message starts the flow again from its start.
      await breakpointDot(page, 'greet').click();
      await expectBreakpoint(page, 'main.ygtc', 'greet', false);
      await say(page, 'again');
      await expect.poll(() => lastBotText(page), SLOW).toBe('Hello! You said "again". What\'s your name?');
    } finally {
      // The setting belongs to the whole studio: the tests after this one need the usual time.
      await timeout.fill(before);
      await timeout.press('Enter');
      await expect.poll(() => page.getByTestId('pause-timeout-saved').textContent(), SLOW).toContain(`after ${before} s`);
    }
    await page.close();
  });

  it('steps into a called flow and out again, with the call stack, and runs to a node from its menu', async () => {
    writeFileSync(path.join(session.studio.projectDir, 'flows', 'parent.ygtc'), PARENT_FLOW);
    writeFileSync(path.join(session.studio.projectDir, 'flows', 'child.ygtc'), CHILD_FLOW);
    const page = await openPage(session.browser, session.studio.url, 'debugger nested flows');
    await page.getByRole('navigation', { name: 'Project' }).getByRole('button', { name: 'Parent', exact: true }).click();
    await canvasNode(page, 'call').waitFor();
    await fitView(page);

    await canvasNode(page, 'call').click({ button: 'right' });
    await page.getByRole('menuitemcheckbox', { name: 'Toggle breakpoint' }).click();
    await expectBreakpoint(page, 'parent.ygtc', 'call', true);
    await say(page, 'go');
    expect(await pausedNode(page)).toBe('call');

    await page.keyboard.press('F11');
    await expect.poll(() => pausedNode(page), SLOW).toBe('work');
    const frames = page.getByTestId('call-stack').getByRole('listitem');
    await expect.poll(() => frames.allTextContents(), SLOW).toEqual(['child / work (paused here)', 'parent / call (calls the flow above)']);
    // The called flow opens on its frame, with the paused node marked; the conversation goes on.
    await frames.first().getByRole('button').click();
    await expect.poll(() => canvasNode(page, 'work').getAttribute('data-run'), SLOW).toBe('paused');
    expect(await pausedNode(page)).toBe('work');

    await page.keyboard.press('Shift+F11');
    await expect.poll(() => pausedNode(page), SLOW).toBe('after');
    expect(await frames.count()).toBe(0);
    await page.keyboard.press('F5');
    await expect.poll(() => lastBotText(page), SLOW).toBe('after more child 7 / one go');

    // Run to here, with no turn paused: the next turn stops at that node.
    await page.getByRole('tab', { name: /parent\.ygtc/ }).click();
    await canvasNode(page, 'after').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Run to here' }).click();
    await canvasNode(page, 'call').click({ button: 'right' });
    await page.getByRole('menuitemcheckbox', { name: 'Toggle breakpoint' }).click();
    await expectBreakpoint(page, 'parent.ygtc', 'call', false);
    await say(page, 'again');
    expect(await pausedNode(page)).toBe('after');
    await page.keyboard.press('F5');
    await expect.poll(() => lastBotText(page), SLOW).toBe('after more child 7 / one again');
    await page.close();
  });

  it('breaks on error at a node that fails, shows why, and lets the failure go on', async () => {
    writeFileSync(path.join(session.studio.projectDir, 'flows', 'weather.ygtc'), WEATHER_FLOW);
    const page = await openPage(session.browser, session.studio.url, 'debugger break on error');
    await page.getByRole('navigation', { name: 'Project' }).getByRole('button', { name: 'Weather', exact: true }).click();
    await canvasNode(page, 'lookup').waitFor();
    await page.getByRole('tab', { name: 'Debug' }).click();
    await page.getByLabel('Break on error').check();
    const sidecar = path.join(session.studio.projectDir, 'flows', 'weather.ygtc.breakpoints.json');
    await expect.poll(() => existsSync(sidecar) && JSON.parse(readFileSync(sidecar, 'utf8')), SLOW).toMatchObject({ break_on_error: true });

    await say(page, 'Paris');
    expect(await pausedNode(page)).toBe('lookup');
    expect(await page.getByTestId('paused-turn').textContent()).toContain('the node failed');
    expect(await page.getByTestId('paused-error').textContent()).toContain('needs component `weather`');
    await page.keyboard.press('F5');
    await expect.poll(() => page.getByTestId('system-message').last().textContent(), SLOW).toContain('needs component `weather`');

    await page.getByLabel('Break on error').uncheck();
    await expect.poll(() => !existsSync(sidecar) || JSON.parse(readFileSync(sidecar, 'utf8')).break_on_error !== true, SLOW).toBe(true);
    await page.close();
  });
});

const PARENT_FLOW = `id: parent
title: Parent
type: messaging
start: first
nodes:
  first:
    templating.handlebars:
      text: "one {{in.input.text}}"
    routing:
      - to: call
  call:
    flow.call:
      flow_id: child
      input:
        n: 7
    routing:
      - to: after
  after:
    templating.handlebars:
      text: "after {{prev.text}} / {{node.first.text}}"
    routing: out
`;

const CHILD_FLOW = `id: child
title: Child
type: messaging
start: work
nodes:
  work:
    templating.handlebars:
      text: "child {{in.n}}"
    routing:
      - to: more
  more:
    templating.handlebars:
      text: "more {{prev.text}}"
    routing: out
`;
