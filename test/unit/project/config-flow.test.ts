import { describe, expect, it } from 'vitest';
import { ConfigFlowError, runConfigFlow } from '../../../src/runtime/components/config-flow';

/** greentic-flow's `tests/data/config_flow.ygtc`, as the JSON graph a manifest's dev_flows hold. */
const QA_PROCESS_FLOW = {
  id: 'component-qa-process.custom',
  type: 'component-config',
  nodes: {
    ask_config: {
      questions: {
        fields: [
          { id: 'welcome_template', prompt: 'Welcome message shown to users:', type: 'string', default: 'Hi there!' },
          { id: 'temperature', prompt: 'How creative should answers be? (0.0 - 1.0):', type: 'number', default: 0.2 },
        ],
      },
      routing: [{ to: 'emit_config' }],
    },
    emit_config: {
      template:
        '{\n  "node_id": "qa_step",\n  "node": {\n    "qa.process": {\n      "welcome_template": "{{state.welcome_template}}",\n      "temperature": "{{state.temperature}}"\n    },\n    "routing": [\n      { "to": "NEXT_NODE_PLACEHOLDER" }\n    ]\n  }\n}\n',
    },
  },
};

function templateFlow(template: string, fields: unknown[] = []) {
  return { nodes: { ask: { questions: { fields }, routing: [{ to: 'emit' }] }, emit: { template } } };
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFlowError);
    return (error as Error).message;
  }
  throw new Error('the config flow ran');
}

describe('running a config flow', () => {
  it('fills the state from the answers or the defaults and emits the step with typed answers', () => {
    expect(runConfigFlow(QA_PROCESS_FLOW, { welcome_template: 'Howdy', temperature: 0.5 })).toEqual({
      nodeId: 'qa_step',
      operation: 'qa.process',
      payload: { welcome_template: 'Howdy', temperature: 0.5 },
    });
    expect(runConfigFlow(QA_PROCESS_FLOW, {}).payload).toEqual({ welcome_template: 'Hi there!', temperature: 0.2 });
  });

  it("reads greentic-component's unquoted number tokens as JSON literals and tokens inside a text as text", () => {
    const flow = templateFlow('{"node_id": "demo", "node": {"run": {"input": {"threshold": {{state.threshold}}, "on": {{ state.on }}, "title": "{{state.title}}", "line": "Say \\"{{state.title}}\\" {{state.threshold}} times"}}}}', [
      { id: 'threshold', type: 'number' },
      { id: 'on', type: 'bool', default: true },
      { id: 'title' },
    ]);
    expect(runConfigFlow(flow, { threshold: 3, title: 'hi "you"' }).payload).toEqual({ input: { threshold: 3, on: true, title: 'hi "you"', line: 'Say "hi "you"" 3 times' } });
  });

  it("renders Handlebars blocks with upstream's json, default and ifEq helpers", () => {
    const flow = templateFlow(
      '{"node_id": "card", "node": {"card": {"enabled": {{#if state.interactive}}true{{else}}false{{/if}}, "mode": {{#ifEq state.mode "asset"}}"asset"{{else}}"inline"{{/ifEq}}, "spec": {{json state.spec}}, "name": {{default state.name "anonymous"}} }}}',
    );
    expect(runConfigFlow(flow, { interactive: true, mode: 'asset', spec: { a: [1] }, name: '' }).payload).toEqual({ enabled: true, mode: 'asset', spec: { a: [1] }, name: 'anonymous' });
    expect(runConfigFlow(flow, { interactive: false, mode: 'url', spec: null, name: 'Ada' }).payload).toEqual({ enabled: false, mode: 'inline', spec: null, name: 'Ada' });
  });

  it('starts at start, else at in, else at the first node', () => {
    const emit = (id: string) => ({ template: `{"node_id": "${id}", "node": {"op": {}}}` });
    expect(runConfigFlow({ start: 'b', nodes: { a: emit('a'), b: emit('b') } }, {}).nodeId).toBe('b');
    expect(runConfigFlow({ nodes: { a: emit('a'), in: emit('in') } }, {}).nodeId).toBe('in');
    expect(runConfigFlow({ nodes: { a: emit('a'), b: emit('b') } }, {}).nodeId).toBe('a');
  });

  it('reduces the older component.exec emission to its operation and payload', () => {
    const flow = templateFlow('{"node_id": "x", "node": {"component.exec": {"operation": "run", "input": {"a": 1}}, "routing": "out"}}');
    expect(runConfigFlow(flow, {})).toEqual({ nodeId: 'x', operation: 'run', payload: { input: { a: 1 } } });
    expect(failure(() => runConfigFlow(templateFlow('{"node_id": "x", "node": {"component.exec": {}}}'), {}))).toBe('component.exec requires a non-empty operation');
  });

  it("fails with upstream's messages", () => {
    expect(failure(() => runConfigFlow(templateFlow('{}', [{ id: 'title' }]), {}))).toBe("missing answer for 'title'");
    expect(failure(() => runConfigFlow({ nodes: { ask: { questions: { fields: [] } } } }, {}))).toBe('config flow terminated without reaching template node');
    expect(failure(() => runConfigFlow({ nodes: { ask: { questions: { fields: [] }, routing: [{ to: 'gone' }] } } }, {}))).toBe("node 'gone' missing during config flow execution");
    expect(failure(() => runConfigFlow({ nodes: { ask: { questions: {} } } }, {}))).toBe('questions node missing fields array');
    expect(failure(() => runConfigFlow({ nodes: { run: { 'emit.log': {} } } }, {}))).toBe("unsupported component 'emit.log' in config flow");
    expect(failure(() => runConfigFlow({ nodes: { ask: { questions: { fields: [] }, routing: [{ to: 'a' }, { to: 'b' }] } } }, {}))).toBe('unsupported routing shape in config flow');
    expect(failure(() => runConfigFlow(templateFlow('{"node_id": '), {}, 'acme.demo'))).toMatch(/^template JSON parse error in node 'emit' in manifest 'acme\.demo': /);
    expect(failure(() => runConfigFlow(templateFlow('{{#if}}'), {}))).toMatch(/^template render error in node 'emit': /);
    expect(failure(() => runConfigFlow(templateFlow('{"node_id": "{{state.nope}}"}'), {}))).toBe("state value for 'nope' not found (node 'emit')");
    expect(failure(() => runConfigFlow(templateFlow('{"node": {}}'), {}))).toBe('config flow output missing node_id');
    expect(failure(() => runConfigFlow(templateFlow('{"node_id": "x"}'), {}))).toBe('config flow output missing node');
    expect(failure(() => runConfigFlow(templateFlow('{"node_id": "x", "node": {"tool": {}}}'), {}))).toMatch(/^Legacy tool emission is not supported/);
    expect(failure(() => runConfigFlow(templateFlow('{"node_id": "COMPONENT_STEP", "node": {"op": {}}}'), {}))).toMatch(/^Config flow emitted placeholder node id 'COMPONENT_STEP'/);
    expect(failure(() => runConfigFlow(templateFlow('{"node_id": "x", "node": {"a": {}, "b": {}}}'), {}))).toBe('node must have exactly one operation key');
  });
});
