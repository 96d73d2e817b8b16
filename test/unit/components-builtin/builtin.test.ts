import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectFiles } from '../../../src/runtime/chat/project-files';
import { BuiltinHost } from '../../../src/runtime/components/builtin';
import { Harness, flow, texts } from '../engine/support';

const survey = flow(`id: survey
type: messaging
nodes:
  ask:
    qa.process:
      welcome: "Welcome!"
      questions:
        - id: name
          prompt: "Your name?"
          answer_type: text
          max_words: 3
        - id: age
          prompt: "Your age?"
          answer_type: integer
        - id: note
          prompt: "Anything else?"
          optional: true
    routing: [{ to: done }]
  done:
    templating.handlebars: { text: "{{prev.name}} is {{prev.age}} ({{prev.note}})" }
`);

describe('qa.process', () => {
  it('asks one question per turn, records the answers and then continues the flow', async () => {
    const harness = new Harness([survey]);
    const first = await harness.say('start');
    expect(texts(first)).toEqual(['Welcome!', 'Your name?']);
    expect(first.status === 'waiting' && first.snapshot).toMatchObject({ next_node: 'ask', awaiting_submit: true });
    expect(texts(await harness.say('Ada Lovelace'))).toEqual(['Your age?']);
    expect(texts(await harness.say('thirty'))).toEqual(['Please answer with a whole number.', 'Your age?']);
    expect(texts(await harness.say('36'))).toEqual(['Anything else?']);
    const last = await harness.say('skip');
    expect(last.status).toBe('completed');
    expect(texts(last)).toEqual(['Ada Lovelace is 36 ()']);
  });

  it('re-asks when an answer is too long or empty', async () => {
    const harness = new Harness([survey]);
    await harness.say('start');
    expect(texts(await harness.say('a b c d'))).toEqual(['Please answer in at most 3 words.', 'Your name?']);
    expect(texts(await harness.say('   '))).toEqual(['Please type an answer.', 'Your name?']);
  });

  it('fails clearly on an input without questions', async () => {
    const broken = flow(`id: b
type: messaging
nodes:
  ask:
    qa.process: { welcome: hi }
`);
    const outcome = await new Harness([broken]).say('x');
    expect(outcome.status === 'failed' && outcome.error.message).toMatch(/qa\.process input is invalid: questions/);
  });
});

describe('templating components', () => {
  it('runs templating.handlebars and the templates component by any of their ids', async () => {
    const f = flow(`id: t
type: messaging
nodes:
  a:
    component.exec:
      component: ai.greentic.component-templates
      operation: handle_message
      input: { text: "hi {{in.input.text}}" }
    routing: [{ to: b }]
  b:
    templating.handlebars: { text: "{{prev.text}}!" }
`);
    expect(texts(await new Harness([f]).say('Ada'))).toEqual(['hi Ada!']);
  });

  it('answers supports() only for its components and operations', () => {
    const host = new BuiltinHost();
    expect(host.supports('templating', 'handlebars')).toBe(true);
    expect(host.supports('qa', 'process')).toBe(true);
    expect(host.supports('qa', 'delete')).toBe(false);
    expect(host.supports('oci://x', 'run')).toBe(false);
  });
});

describe('component-adaptive-card.render', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'cards-'));
  mkdirSync(path.join(root, 'assets/cards'), { recursive: true });
  writeFileSync(
    path.join(root, 'assets/cards/welcome.json'),
    JSON.stringify({ type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Hi ${name}' }, { type: 'TextBlock', text: '${items}' }] }),
  );
  writeFileSync(path.join(root, 'assets/cards/broken.json'), '{ not json');
  const assets = new ProjectFiles(root);

  const cardFlow = (spec: string) =>
    flow(`id: c
type: messaging
nodes:
  card:
    component-adaptive-card.render:
${spec}
`);

  it('renders an asset card with template parameters', async () => {
    const f = cardFlow(`      card_source: asset
      card_spec: { asset_path: assets/cards/welcome.json }
      params: { name: "{{in.input.text}}", items: [1, 2] }`);
    const outcome = await new Harness([f], { host: new BuiltinHost({ assets }) }).say('Ada');
    expect(outcome.replies).toEqual([
      { type: 'adaptive_card', card: { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Hi Ada' }, { type: 'TextBlock', text: [1, 2] }] } },
    ]);
  });

  it('fails clearly on a missing asset, an escaping path, broken JSON or a non-card', async () => {
    const run = async (spec: string) => {
      const outcome = await new Harness([cardFlow(spec)], { host: new BuiltinHost({ assets }) }).say('x');
      return outcome.status === 'failed' ? outcome.error.message : 'not failed';
    };
    expect(await run('      card_source: asset\n      card_spec: { asset_path: assets/cards/none.json }')).toMatch(/card asset assets\/cards\/none.json cannot be read: file not found/);
    expect(await run('      card_source: asset\n      card_spec: { asset_path: ../../etc/passwd }')).toMatch(/leaves the project folder/);
    expect(await run('      card_source: asset\n      card_spec: { asset_path: assets/cards/broken.json }')).toMatch(/not valid JSON/);
    expect(await run('      card_source: inline\n      card_spec: { inline_json: { type: Nope } }')).toMatch(/not an Adaptive Card/);
  });
});
