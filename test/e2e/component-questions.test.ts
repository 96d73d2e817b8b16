import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFlow } from '../../src/shared/flow';
import { askingDevFlow, CARD_QUESTIONS } from '../support/dev-flows';
import { launchChromium, openPage } from './support/browser';
import { canvasNode, fitView } from './support/editor';
import { serveStudio, type ServedStudio } from './support/studio-server';

/**
 * A component whose manifest asks questions in its dev_flows: `default` answers into the step's
 * payload (greentic-flow's `writes_to` fixture, plus a bounded number), `custom` is a config flow
 * of the shape greentic-component generates, rebuilding the step from its template.
 */
const MANIFEST = {
  id: 'acme.card-tools',
  name: 'card-tools',
  version: '0.1.0',
  world: 'greentic:component/component@0.6.0',
  operations: [{ name: 'render', input_schema: { type: 'object' }, output_schema: { type: 'object' } }],
  default_operation: 'render',
  dev_flows: {
    default: {
      format: 'flow-ir-json',
      ...askingDevFlow([...CARD_QUESTIONS, { id: 'retries', prompt: 'Retries', type: 'int', required: false, constraint: { min: 0, max: 5 } }], {
        id: 'acme.card-tools.default',
        type: 'component-config',
        start: 'ask',
      }),
    },
    custom: {
      format: 'flow-ir-json',
      graph: {
        id: 'acme.card-tools.custom',
        kind: 'component-config',
        nodes: {
          ask_config: {
            questions: {
              fields: [
                { id: 'title', prompt: 'Title:', type: 'string', required: true },
                { id: 'threshold', prompt: 'Threshold:', type: 'number', default: 0.5 },
                { id: 'tone', prompt: 'Tone', type: 'enum', options: ['friendly', 'formal'], default: 'friendly' },
              ],
            },
            routing: [{ to: 'emit_config' }],
          },
          emit_config: {
            template:
              '{"node_id": "card-tools", "node": {"render": {"input": {"title": "{{state.title}}", "threshold": {{state.threshold}}, "tone": "{{state.tone}}"}}, "routing": [{"to": "NEXT_NODE_PLACEHOLDER"}]}}',
          },
        },
      },
    },
  },
};

let studio: ServedStudio;
let browser: Browser;
let flowFile: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'studio-questions-'));
  mkdirSync(path.join(dir, 'components', 'card-tools'), { recursive: true });
  mkdirSync(path.join(dir, 'flows'));
  writeFileSync(path.join(dir, 'components', 'card-tools', 'component.manifest.json'), JSON.stringify(MANIFEST, null, 2));
  writeFileSync(path.join(dir, 'pack.yaml'), 'pack_id: test.questions\nversion: 0.1.0\nkind: application\npublisher: Test\nflows:\n  - id: cards\n    file: flows/cards.ygtc\n');
  flowFile = path.join(dir, 'flows', 'cards.ygtc');
  writeFileSync(flowFile, 'id: cards\ntype: messaging\nstart: card\nnodes:\n  card:\n    acme.card-tools.render: {}\n    routing: out\n');
  studio = await serveStudio(dir);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

const payloadOnDisk = () => loadFlow(readFileSync(flowFile, 'utf8')).ir?.nodes.find((node) => node.id === 'card')?.payload;

describe("a component's questions in the inspector (web mode, Chromium)", () => {
  it('answers dev_flows questions into the payload with inline validation and undo, then rebuilds the step from a config flow', async () => {
    const page = await openPage(browser, studio.url, 'component questions');
    await canvasNode(page, 'card').waitFor();
    await fitView(page);
    await canvasNode(page, 'card').click();
    const form = page.getByTestId('questions-form');
    await form.waitFor();
    const alerts = () => form.getByRole('alert').allInnerTexts();

    // The flow upstream's update-step answers by default; its required question says so until answered.
    expect(await form.getByLabel('Dev flow').inputValue()).toBe('default');
    await expect.poll(alerts).toEqual(['an answer is required']);

    // A number question refuses text as it is typed, and its bounds once answered.
    const retries = form.getByLabel('Retries');
    await retries.fill('many');
    await expect.poll(alerts).toEqual(['an answer is required', 'expected a whole number']);
    await retries.fill('9');
    await retries.press('Enter');
    await expect.poll(payloadOnDisk, { timeout: 10_000 }).toEqual({ retries: 9 });
    await expect.poll(alerts).toEqual(['an answer is required', 'at most 5']);
    await retries.fill('3');
    await retries.press('Enter');
    await expect.poll(payloadOnDisk, { timeout: 10_000 }).toEqual({ retries: 3 });

    // Answers go where writes_to says.
    await form.getByLabel('Asset path').fill('assets/cards/card.json');
    await form.getByLabel('Asset path').press('Enter');
    await form.getByLabel('Needs interaction?').check();
    await expect.poll(payloadOnDisk, { timeout: 10_000 }).toEqual({ retries: 3, card_spec: { asset_path: 'assets/cards/card.json' }, interaction: { enabled: true } });
    await expect.poll(alerts).toEqual([]);
    expect(readFileSync(flowFile, 'utf8')).toContain('    acme.card-tools.render:\n      retries: 3\n      card_spec:\n        asset_path: assets/cards/card.json\n      interaction:\n        enabled: true\n    routing: out\n');

    // Each answer is one undo step; what is undone may be filled in from the defaults again.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(payloadOnDisk, { timeout: 10_000 }).toEqual({ retries: 3, card_spec: { asset_path: 'assets/cards/card.json' } });
    expect(await form.getByLabel('Needs interaction?').isChecked()).toBe(false);
    await form.getByRole('button', { name: 'Fill in defaults' }).click();
    await expect.poll(payloadOnDisk, { timeout: 10_000 }).toMatchObject({ interaction: { enabled: false } });

    // The config flow gathers its answers first and can only be applied once they are complete.
    await form.getByLabel('Dev flow').selectOption('custom');
    const apply = form.getByRole('button', { name: 'Apply to step' });
    await expect.poll(alerts).toEqual(['an answer is required']);
    expect(await apply.isDisabled()).toBe(true);
    await form.getByLabel('Threshold:').fill('lots');
    await expect.poll(alerts).toEqual(['an answer is required', 'expected a number']);
    await form.getByLabel('Threshold:').fill('0.75');
    await form.getByLabel('Threshold:').press('Enter');
    await form.getByLabel('Title:').fill('Welcome');
    await form.getByLabel('Title:').press('Enter');
    await form.getByLabel('Tone').selectOption('formal');
    await expect.poll(alerts).toEqual([]);
    await apply.click();
    await expect.poll(() => form.getByTestId('questions-status').innerText()).toBe('Step rebuilt from dev_flows.custom');
    // As update-step --mode config does: the emitted payload replaces the step's, the routing stays.
    await expect.poll(payloadOnDisk, { timeout: 10_000 }).toEqual({ input: { title: 'Welcome', threshold: 0.75, tone: 'formal' } });
    expect(readFileSync(flowFile, 'utf8')).toContain('    acme.card-tools.render:\n      input:\n        title: Welcome\n        threshold: 0.75\n        tone: formal\n    routing: out\n');

    // The whole rebuild is one undo step.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(payloadOnDisk, { timeout: 10_000 }).toEqual({ retries: 3, card_spec: { asset_path: 'assets/cards/card.json' }, interaction: { enabled: false } });
    await page.close();
  });
});
