/**
 * Runs a component's config flow (a dev flow of its manifest with a `template` node) on a set of
 * answers, as greentic-flow's `run_config_flow` does for `add-step` / `update-step --mode config`:
 * from the start node, `questions` nodes fill the state from the answers (or their defaults) and
 * the first `template` node renders the step it emits, `{"node_id", "node": {<operation>: <payload>,
 * routing}}`. A quoted `"{{state.key}}"` becomes the answer with its JSON type; the rest of the
 * template is Handlebars without escaping, with upstream's `json`, `default` and `ifEq` helpers.
 *
 * Two cases upstream gets wrong are made to work: an unquoted `{{state.key}}` (greentic-component
 * generates them for number and boolean fields; upstream then fails to parse the JSON) becomes the
 * answer as a JSON literal, and one inside a longer string (left as an internal token upstream)
 * becomes the answer's text.
 */
import Handlebars from 'handlebars';
import type { JsonValue } from '../../shared/flow/compiled';
import { isObject } from '../../shared/flow/json';
import { checkTemplateSize, TemplateLimitError } from '../engine/template-budget';

export interface ConfigFlowOutput {
  nodeId: string;
  /** The operation key of the emitted node. */
  operation: string;
  payload: JsonValue;
}

export class ConfigFlowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigFlowError';
  }
}

const STATE_TOKEN = /\{\{\s*state\.([A-Za-z_]\w*)\s*\}\}/g;
const TOKEN_PREFIX = '__STATE_TOKEN__';
const TOKEN_SUFFIX = '__';
const TOKEN = /__STATE_TOKEN__([A-Za-z_]\w*)__/g;
/** A JSON string literal, or a token outside of one. */
const STRING_OR_TOKEN = /"(?:[^"\\]|\\.)*"|__STATE_TOKEN__([A-Za-z_]\w*)__/g;
const WHOLE_TOKEN = /^"__STATE_TOKEN__[A-Za-z_]\w*__"$/;
/** Node ids upstream refuses as an emitted step's id: the placeholders of templates that were never filled in. */
const PLACEHOLDER_IDS = new Set(['', 'STEP', 'NODE', 'COMPONENT_STEP', 'INSERT_NODE', 'NEW_NODE']);
const EMITTED_NODE_KEYS = new Set(['routing', 'telemetry']);

export function runConfigFlow(graph: unknown, answers: Record<string, unknown>, manifestId?: string): ConfigFlowOutput {
  const nodes = isObject(graph) && isObject(graph.nodes) ? graph.nodes : {};
  const state: Record<string, unknown> = { ...answers };
  let current = entryOf(graph, nodes);
  for (let visited = 0; visited < Object.keys(nodes).length + 4; visited += 1) {
    const node = nodes[current];
    if (!isObject(node)) throw new ConfigFlowError(`node '${current}' missing during config flow execution`);
    if ('questions' in node) applyQuestions(node.questions, state);
    else if ('template' in node) return emittedStep(renderTemplate(node.template, state, current, manifestId));
    else throw new ConfigFlowError(`unsupported component '${Object.keys(node).find((key) => !EMITTED_NODE_KEYS.has(key)) ?? ''}' in config flow`);
    current = nextNode(node.routing);
  }
  throw new ConfigFlowError('config flow exceeded traversal limit');
}

function entryOf(graph: unknown, nodes: Record<string, unknown>): string {
  if (isObject(graph) && typeof graph.start === 'string') return graph.start;
  if ('in' in nodes) return 'in';
  return Object.keys(nodes)[0] ?? 'in';
}

function nextNode(routing: unknown): string {
  if (routing === undefined || routing === null || routing === 'out' || routing === 'reply') {
    throw new ConfigFlowError('config flow terminated without reaching template node');
  }
  const only = Array.isArray(routing) && routing.length === 1 ? routing[0] : undefined;
  if (isObject(only) && typeof only.to === 'string' && only.condition === undefined) return only.to;
  throw new ConfigFlowError('unsupported routing shape in config flow');
}

function applyQuestions(questions: unknown, state: Record<string, unknown>): void {
  const fields = isObject(questions) ? questions.fields : undefined;
  if (!Array.isArray(fields)) throw new ConfigFlowError('questions node missing fields array');
  for (const field of fields) {
    if (!isObject(field) || typeof field.id !== 'string') throw new ConfigFlowError('questions field missing id');
    if (field.id in state) continue;
    if (!('default' in field)) throw new ConfigFlowError(`missing answer for '${field.id}'`);
    state[field.id] = field.default;
  }
}

function renderTemplate(template: unknown, state: Record<string, unknown>, nodeId: string, manifestId: string | undefined): unknown {
  if (typeof template !== 'string') throw new ConfigFlowError('template node payload must be a string');
  const where = `node '${nodeId}'${manifestId ? ` in manifest '${manifestId}'` : ''}`;
  const tokenized = template.replace(STATE_TOKEN, (_match, key: string) => `${TOKEN_PREFIX}${key}${TOKEN_SUFFIX}`);
  let rendered: string;
  try {
    checkTemplateSize(tokenized);
    rendered = templates.compile(tokenized, { noEscape: true })({ state });
  } catch (error) {
    const reason = error instanceof TemplateLimitError || error instanceof Error ? error.message : String(error);
    throw new ConfigFlowError(`template render error in ${where}: ${reason}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(placeTokens(rendered, state, where));
  } catch (error) {
    if (error instanceof ConfigFlowError) throw error;
    throw new ConfigFlowError(`template JSON parse error in ${where}: ${(error as Error).message}`);
  }
  return substituteTokens(value, state, where);
}

/** Tokens outside a string become JSON literals, tokens inside a longer string its text; a string that is one token waits for `substituteTokens`. */
function placeTokens(rendered: string, state: Record<string, unknown>, where: string): string {
  const lookup = (key: string): unknown => {
    if (!(key in state)) throw new ConfigFlowError(`state value for '${key}' not found (${where})`);
    return state[key];
  };
  return rendered.replace(STRING_OR_TOKEN, (match: string, bare: string | undefined) => {
    if (bare !== undefined) return JSON.stringify(lookup(bare) ?? null);
    if (WHOLE_TOKEN.test(match)) return match;
    return match.replace(TOKEN, (_token, key: string) => {
      const value = lookup(key);
      return JSON.stringify(typeof value === 'string' ? value : JSON.stringify(value ?? null)).slice(1, -1);
    });
  });
}

/** Every string that is exactly one token becomes the state value it names, with its JSON type. */
function substituteTokens(value: unknown, state: Record<string, unknown>, where: string): unknown {
  if (typeof value === 'string' && value.startsWith(TOKEN_PREFIX) && value.endsWith(TOKEN_SUFFIX) && value.length > TOKEN_PREFIX.length + TOKEN_SUFFIX.length) {
    const key = value.slice(TOKEN_PREFIX.length, -TOKEN_SUFFIX.length);
    if (!(key in state)) throw new ConfigFlowError(`state value for '${key}' not found (${where})`);
    return state[key];
  }
  if (Array.isArray(value)) return value.map((item) => substituteTokens(item, state, where));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteTokens(item, state, where)]));
  return value;
}

/** The emitted `{node_id, node}`, checked as upstream checks it and reduced to the operation and its payload. */
function emittedStep(value: unknown): ConfigFlowOutput {
  if (!isObject(value) || typeof value.node_id !== 'string') throw new ConfigFlowError('config flow output missing node_id');
  if (!isObject(value.node)) throw new ConfigFlowError('config flow output missing node');
  const node = value.node;
  if ('tool' in node) throw new ConfigFlowError('Legacy tool emission is not supported. Update greentic-component to emit component.exec nodes without tool.');
  if (PLACEHOLDER_IDS.has(value.node_id.trim())) {
    throw new ConfigFlowError(`Config flow emitted placeholder node id '${value.node_id}'; update greentic-component to emit the component name.`);
  }
  if ('component.exec' in node) return { nodeId: value.node_id, ...legacyExec(node) };
  const opKeys = Object.keys(node).filter((key) => !EMITTED_NODE_KEYS.has(key));
  if (opKeys.length !== 1) throw new ConfigFlowError('node must have exactly one operation key');
  const operation = opKeys[0] as string;
  return { nodeId: value.node_id, operation, payload: (node[operation] ?? {}) as JsonValue };
}

/** The older emission, `component.exec` with the operation beside it or inside its payload. */
function legacyExec(node: Record<string, unknown>): { operation: string; payload: JsonValue } {
  const { operation: inner, ...payload } = isObject(node['component.exec']) ? node['component.exec'] : {};
  const operation = typeof node.operation === 'string' && node.operation.trim() !== '' ? node.operation : typeof inner === 'string' ? inner : '';
  if (operation.trim() === '') throw new ConfigFlowError('component.exec requires a non-empty operation');
  return { operation, payload: payload as JsonValue };
}

const templates = Handlebars.create();
templates.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null));
templates.registerHelper('default', (value: unknown, fallback: unknown) => JSON.stringify(value === undefined || value === null || value === '' ? fallback : value));
templates.registerHelper('ifEq', function (this: unknown, left: unknown, right: unknown, options: Handlebars.HelperOptions) {
  return JSON.stringify(left) === JSON.stringify(right) ? options.fn(this) : options.inverse(this);
});
