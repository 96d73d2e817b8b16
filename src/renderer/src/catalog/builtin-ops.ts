/**
 * The built-in operations the studio knows (flow-format §10, runtime §6): what the palette offers,
 * the payload a new step starts with, and the input schema the inspector's form is drawn from.
 */
import type { FieldSchema } from './json-schema';

export interface OpSpec {
  opKey: string;
  title: string;
  description: string;
  /** The payload of a new step. */
  payload: unknown;
  schema: FieldSchema;
}

const text: FieldSchema = { type: 'string' };

const messages: FieldSchema = {
  type: 'array',
  title: 'Messages',
  items: { type: 'object', properties: { type: { type: 'string', enum: ['text'] }, text } },
};

export const BUILTIN_OPS: readonly OpSpec[] = [
  {
    opKey: 'emit.response',
    title: 'Send a reply',
    description: 'Sends messages to the user and continues.',
    payload: { messages: [{ type: 'text', text: 'Hello!' }] },
    schema: { type: 'object', properties: { messages, text: { type: 'string', title: 'Text (instead of messages)' } } },
  },
  {
    opKey: 'emit.log',
    title: 'Log',
    description: 'Writes a log entry and continues.',
    payload: { text: '' },
    schema: { type: 'object', properties: { text: { type: 'string', title: 'Text' } } },
  },
  {
    opKey: 'templating.handlebars',
    title: 'Handlebars template',
    description: 'Renders a Handlebars template; the result is the node output.',
    payload: { text: 'Hello {{in.input.text}}' },
    schema: { type: 'object', required: ['text'], properties: { text: { type: 'string', title: 'Template' } } },
  },
  {
    opKey: 'session.wait',
    title: 'Wait for the user',
    description: 'Parks the conversation; the next message resumes at the successor.',
    payload: { reason: 'waiting for the user' },
    schema: { type: 'object', properties: { reason: { type: 'string', title: 'Reason' } } },
  },
  {
    opKey: 'qa.process',
    title: 'Questions',
    description: 'Asks questions and collects answers.',
    payload: { welcome: 'Let me ask you a few questions.', questions: [{ id: 'name', prompt: 'What is your name?', answer_type: 'text' }] },
    schema: {
      type: 'object',
      properties: {
        welcome: { type: 'string', title: 'Welcome' },
        questions: {
          type: 'array',
          items: { type: 'object', properties: { id: text, prompt: text, answer_type: text, max_words: { type: 'integer' }, optional: { type: 'boolean' } } },
        },
      },
    },
  },
  {
    opKey: 'flow.call',
    title: 'Call a flow',
    description: 'Runs another flow and continues with its output.',
    payload: { flow_id: '' },
    schema: { type: 'object', required: ['flow_id'], properties: { flow_id: { type: 'string', title: 'Flow id' }, input: { type: 'object', title: 'Input' } } },
  },
  {
    opKey: 'flow.goto',
    title: 'Go to a flow',
    description: 'Hands the turn to another flow.',
    payload: { flow_id: '' },
    schema: {
      type: 'object',
      required: ['flow_id'],
      properties: {
        flow_id: { type: 'string', title: 'Flow id' },
        node: { type: 'string', title: 'Node' },
        reason: { type: 'string', title: 'Reason' },
        max_redirects: { type: 'integer', title: 'Max redirects' },
        input: { type: 'object', title: 'Input' },
      },
    },
  },
  {
    opKey: 'state.get',
    title: 'Read state',
    description: 'Reads a value from the session state.',
    payload: { key: '' },
    schema: { type: 'object', required: ['key'], properties: { key: { type: 'string', title: 'Key' } } },
  },
  {
    opKey: 'state.set',
    title: 'Write state',
    description: 'Writes a value to the session state.',
    payload: { key: '', value: '' },
    schema: { type: 'object', required: ['key'], properties: { key: { type: 'string', title: 'Key' }, value: { title: 'Value' } } },
  },
  {
    opKey: 'var.set',
    title: 'Set variable',
    description: 'Sets a session variable.',
    payload: { name: '', value: '' },
    schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', title: 'Name' }, value: { title: 'Value' } } },
  },
  {
    opKey: 'mcp',
    title: 'MCP tool',
    description: 'Calls a tool of an MCP server.',
    payload: { server: '', tool: '', arguments: {} },
    schema: {
      type: 'object',
      required: ['server', 'tool'],
      properties: {
        server: { type: 'string', title: 'Server' },
        tool: { type: 'string', title: 'Tool' },
        arguments: { type: 'object', title: 'Arguments' },
        output: { type: 'string', title: 'Output state key' },
      },
    },
  },
  {
    opKey: 'component-adaptive-card.render',
    title: 'Adaptive card',
    description: 'Renders an Adaptive Card from an asset or inline JSON.',
    payload: { card_source: 'asset', card_spec: { asset_path: 'assets/cards/card.json' } },
    schema: {
      type: 'object',
      properties: {
        card_source: { type: 'string', title: 'Card source', enum: ['asset', 'inline'] },
        card_spec: { type: 'object', title: 'Card', properties: { asset_path: { type: 'string', title: 'Asset path' }, inline_json: { type: 'object' } } },
      },
    },
  },
  {
    opKey: 'component.exec',
    title: 'Run a component',
    description: 'Invokes a WASM component operation.',
    payload: { component: '', operation: '', input: {} },
    schema: {
      type: 'object',
      properties: { component: { type: 'string', title: 'Component' }, operation: { type: 'string', title: 'Operation' }, input: { type: 'object' }, config: { type: 'object' } },
    },
  },
];

const byKey = new Map(BUILTIN_OPS.map((op) => [op.opKey, op]));

export function builtinOp(opKey: string): OpSpec | undefined {
  return byKey.get(opKey);
}
