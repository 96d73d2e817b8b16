import { describe, expect, it } from 'vitest';
import type { ComponentEntry, ComponentSummary } from '../../../src/shared/api';
import { devFlowsOf, loadFlow, type IrNode } from '../../../src/shared/flow';
import { catalogComponents } from '../../../src/renderer/src/catalog/components';
import { askingDevFlow, CARD_QUESTIONS } from '../../support/dev-flows';
import { questionsForNode } from '../../../src/renderer/src/catalog/op-schema';
import { applyEmittedStep } from '../../../src/renderer/src/inspector/emitted-step';
import { answersOfStep, writeAnswers } from '../../../src/renderer/src/inspector/step-answers';

const CARD_DEV_FLOWS = { default: askingDevFlow([...CARD_QUESTIONS, { id: 'title', prompt: 'Title' }]) };
const CUSTOM_DEV_FLOWS = { custom: { graph: { nodes: { ask: { questions: { fields: [{ id: 'title' }] }, routing: [{ to: 'emit' }] }, emit: { template: '{}' } } } } };

function entry(id: string, devFlows?: unknown): ComponentEntry {
  return { id, name: null, version: null, manifestPath: null, operations: [{ name: 'card', inputSchema: null }, { name: 'render', inputSchema: null }], ...(devFlows ? { devFlows } : {}) };
}

function summary(id: string, devFlows: unknown): ComponentSummary {
  return { id, origin: id, abi: '0.5', version: null, operations: [], configSchema: null, devFlows, imports: [], secrets: [], limits: { wallTimeMs: 0, memoryMb: 0 }, error: null };
}

function flowWith(node: string): { text: string; node: IrNode } {
  const text = `id: f\ntype: messaging\nnodes:\n  step:\n${node}    routing: out\n`;
  const found = loadFlow(text).ir?.nodes[0];
  if (!found) throw new Error('no node');
  return { text, node: found };
}

describe("a step's questions in the inspector", () => {
  it("takes a component's dev flows from its manifest, else from what describe() reports", () => {
    const catalog = catalogComponents([entry('acme.card', CARD_DEV_FLOWS), entry('acme.bare')], [summary('acme.card', CUSTOM_DEV_FLOWS), summary('acme.bare', CUSTOM_DEV_FLOWS)]);
    expect(catalog.map((c) => [c.id, c.devFlows.map((flow) => flow.name)])).toEqual([
      ['acme.bare', ['custom']],
      ['acme.card', ['default']],
    ]);
  });

  it('finds the questions of every way of calling a component, and answers into the payload or component.exec input', () => {
    const catalog = catalogComponents([entry('acme.card', CARD_DEV_FLOWS), entry('acme.plain')], []);
    const exec = flowWith('    component.exec:\n      component: acme.card\n      operation: render\n      input: {}\n').node;
    expect(questionsForNode(exec, catalog)).toMatchObject({ component: 'acme.card', operation: 'render', operations: ['card', 'render'], at: ['input'] });
    expect(questionsForNode(flowWith('    acme.card.card: {}\n').node, catalog)).toMatchObject({ operation: 'card', at: [] });
    expect(questionsForNode(flowWith('    acme.card: {}\n').node, catalog)).toMatchObject({ operation: 'card', at: [] });
    expect(questionsForNode(flowWith('    acme.plain.card: {}\n').node, catalog)).toBeNull();
    expect(questionsForNode(flowWith('    emit.log: {}\n').node, catalog)).toBeNull();
  });

  it('writes answers at their writes_to paths or under their ids, removing a cleared one, as one edit', () => {
    const questions = devFlowsOf(CARD_DEV_FLOWS)[0]?.questions ?? [];
    const [asset, interaction, title] = questions as [(typeof questions)[0], (typeof questions)[0], (typeof questions)[0]];
    const { text } = flowWith('    acme.card.card:\n      title: Old\n');
    const result = writeAnswers(text, 'step', [], [
      [asset, 'assets/cards/card.json'],
      [interaction, true],
      [title, undefined],
    ]);
    expect(result.ok && result.text).toBe(
      'id: f\ntype: messaging\nnodes:\n  step:\n    acme.card.card:\n      card_spec:\n        asset_path: assets/cards/card.json\n      interaction:\n        enabled: true\n    routing: out\n',
    );
    const exec = flowWith('    component.exec:\n      component: acme.card\n      operation: card\n      input: {}\n');
    const intoInput = writeAnswers(exec.text, 'step', ['input'], [[title, 'Hello']]);
    expect(intoInput.ok && loadFlow(intoInput.text).ir?.nodes[0]?.payload).toEqual({ component: 'acme.card', operation: 'card', input: { title: 'Hello' } });
  });

  it("reads a step's answers where they were written, and a config flow's under input as well", () => {
    const [answers] = devFlowsOf(CARD_DEV_FLOWS);
    const [custom] = devFlowsOf(CUSTOM_DEV_FLOWS);
    if (!answers || !custom) throw new Error('no flows');
    expect(answersOfStep(answers, { card_spec: { asset_path: 'a.json' }, title: 'T', input: { title: 'nested' } })).toEqual({ asset_path: 'a.json', title: 'T' });
    expect(answersOfStep(custom, { input: { title: 'nested' } })).toEqual({ title: 'nested' });
    expect(answersOfStep(custom, { title: 'top', input: { title: 'nested' } })).toEqual({ title: 'top' });
  });

  it("rebuilds a step from a config flow's emitted payload, following its operation, keeping the routing", () => {
    const component = { id: 'acme.card', operations: ['card', 'render'] };
    const emitted = { nodeId: 'card', operation: 'render', payload: { input: { title: 'Hi' } } };
    const direct = flowWith('    acme.card.card:\n      title: Old\n');
    const renamed = applyEmittedStep(direct.text, direct.node, emitted, component);
    expect(renamed.ok && renamed.text).toBe('id: f\ntype: messaging\nnodes:\n  step:\n    acme.card.render:\n      input:\n        title: Hi\n    routing: out\n');
    // An operation the component does not declare leaves the step's own in place.
    const kept = applyEmittedStep(direct.text, direct.node, { ...emitted, operation: 'handle_message' }, component);
    expect(kept.ok && loadFlow(kept.text).ir?.nodes[0]).toMatchObject({ opKey: 'acme.card.card', payload: { input: { title: 'Hi' } } });

    const exec = flowWith('    component.exec:\n      component: acme.card\n      operation: card\n      input: {}\n');
    const intoExec = applyEmittedStep(exec.text, exec.node, { ...emitted, payload: { input: { title: 'Hi' }, config: { loud: true } } }, component);
    expect(intoExec.ok && loadFlow(intoExec.text).ir?.nodes[0]?.payload).toEqual({ component: 'acme.card', operation: 'render', input: { title: 'Hi' }, config: { loud: true } });
    const whole = applyEmittedStep(exec.text, exec.node, { ...emitted, operation: 'card', payload: { title: 'Hi', extra: 1 } }, component);
    expect(whole.ok && loadFlow(whole.text).ir?.nodes[0]?.payload).toEqual({ component: 'acme.card', operation: 'card', input: { title: 'Hi', extra: 1 } });
  });
});
