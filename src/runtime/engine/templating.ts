/**
 * Payload templating (runtime.md §4.2): every string leaf containing `{{` is rendered with
 * Handlebars (no escaping, non-strict, built-in helpers only); a string that is exactly one
 * `{{ path }}` inserts the resolved value with its JSON type. Values are printed the way upstream's
 * Rust `handlebars` crate prints them, not the way handlebars.js would.
 */
import Handlebars from 'handlebars';
import type { JsonValue } from '../../shared/flow/compiled';
import { RenderBudget, TemplateLimitError, checkTemplateOutput, checkTemplateSize } from './template-budget';

export class TemplateError extends Error {
  constructor(
    readonly template: string,
    cause: unknown,
  ) {
    super(`failed to render node input template: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'TemplateError';
  }
}

export type TemplateContext = Record<string, unknown>;

/**
 * Renders a whole payload; keys are never rendered, non-string leaves pass through. All its
 * templates share `budget` (template-budget.ts), and a `TemplateLimitError` ends the render.
 */
export function renderMapping(mapping: JsonValue, context: TemplateContext, budget: RenderBudget = RenderBudget.forNode()): JsonValue {
  if (typeof mapping === 'string') return mapping.includes('{{') ? renderString(mapping, context, budget) : mapping;
  if (Array.isArray(mapping)) return mapping.map((item) => renderMapping(item, context, budget));
  if (mapping !== null && typeof mapping === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(mapping)) out[key] = renderMapping(value, context, budget);
    return out;
  }
  return mapping;
}

/** Renders one template string (typed insertion when it is a single `{{ path }}`). */
export function renderString(template: string, context: TemplateContext, budget: RenderBudget = RenderBudget.forNode()): JsonValue {
  const path = typedInsertionPath(template);
  if (path) {
    const value = resolvePath(context, path);
    return value === undefined ? '' : toJson(value);
  }
  const render = compiled(template);
  const outer = activeBudget;
  activeBudget = budget;
  try {
    return checkTemplateOutput(render(context));
  } finally {
    activeBudget = outer;
  }
}

/** Formats a value as upstream prints it inside a mixed string. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'object') return '[object]';
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Typed insertion paths: `a.b.c`, `a[0]`, `a["key"]`, optional leading `this.`

const WHOLE_EXPRESSION = /^\{\{\s*([^{}]+?)\s*\}\}$/;
const SEGMENT = /^(?:\.?([^.[\]"\s]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\])/;
const pathCache = new Map<string, (string | number)[] | null>();

function typedInsertionPath(template: string): (string | number)[] | null {
  const cached = pathCache.get(template);
  if (cached !== undefined) return cached;
  const path = parseTypedPath(template);
  if (pathCache.size > 10_000) pathCache.clear();
  pathCache.set(template, path);
  return path;
}

function parseTypedPath(template: string): (string | number)[] | null {
  const match = WHOLE_EXPRESSION.exec(template);
  return match?.[1] ? parsePath(match[1]) : null;
}

function parsePath(expression: string): (string | number)[] | null {
  let rest = expression;
  if (/^[#/^!>&~{]/.test(rest) || rest.includes(' ')) return null;
  const segments: (string | number)[] = [];
  while (rest.length > 0) {
    const segment = SEGMENT.exec(rest);
    if (!segment) return null;
    if (segment[1] !== undefined) segments.push(segment[1]);
    else if (segment[2] !== undefined) segments.push(Number(segment[2]));
    else segments.push((segment[3] ?? '').replace(/\\(.)/g, '$1'));
    rest = rest.slice(segment[0].length);
  }
  if (segments[0] === 'this') segments.shift();
  return segments.length > 0 ? segments : null;
}

/** Own properties only, as Handlebars looks them up (so `{{s.length}}` works on a string too). */
function resolvePath(root: unknown, path: (string | number)[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || current === undefined) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}

function toJson(value: unknown): JsonValue {
  return value as JsonValue;
}

// ---------------------------------------------------------------------------------------------
// Handlebars: an isolated environment whose output statements all go through `formatValue`.

const FORMAT_HELPER = '__greentic_format';
const handlebars = Handlebars.create();
/** The budget of the render under way; rendering is synchronous, so one at a time. */
let activeBudget: RenderBudget | null = null;

handlebars.registerHelper(FORMAT_HELPER, (value: unknown) => {
  activeBudget?.tick();
  const text = formatValue(value);
  return activeBudget ? activeBudget.produced(text) : text;
});

type BlockFn = (context: unknown, options?: unknown) => string;

/** A block's body (or else branch) that spends the active budget each time it renders. */
function budgeted(fn: BlockFn | undefined): BlockFn | undefined {
  if (typeof fn !== 'function') return fn;
  return (context, options) => {
    activeBudget?.tick();
    const text = fn(context, options);
    return activeBudget ? activeBudget.produced(text) : text;
  };
}

// Every built-in helper (`if`, `each`, `with`, `lookup`, `blockHelperMissing`, ...) spends the budget
// on each call and on each iteration of its block: they are the only loops a render has.
for (const [name, helper] of Object.entries(handlebars.helpers)) {
  handlebars.registerHelper(name, function (this: unknown, ...args: unknown[]) {
    activeBudget?.tick();
    const last = args.length - 1;
    const options = args[last] as { fn?: BlockFn; inverse?: BlockFn } | undefined;
    if (options !== null && typeof options === 'object' && typeof options.fn === 'function') {
      args[last] = { ...options, fn: budgeted(options.fn), inverse: budgeted(options.inverse) };
    }
    return (helper as (...params: unknown[]) => unknown).apply(this, args);
  });
}

type HbsNode = hbs.AST.Node;

/**
 * Rewrites every `{{expr}}` into `{{__greentic_format expr}}` so that arrays, objects and nulls
 * print like upstream. Block statements keep their semantics; only their output is reformatted.
 */
class FormattingRewriter extends Handlebars.Visitor {
  override MustacheStatement(mustache: hbs.AST.MustacheStatement): void {
    const original = { ...mustache };
    const value: hbs.AST.Expression =
      mustache.params.length === 0 && !mustache.hash
        ? original.path
        : ({
            type: 'SubExpression',
            path: original.path,
            params: original.params,
            hash: original.hash,
            loc: mustache.loc,
          } as unknown as hbs.AST.SubExpression);
    (mustache as { path: hbs.AST.PathExpression | hbs.AST.Literal }).path = {
      type: 'PathExpression',
      data: false,
      depth: 0,
      parts: [FORMAT_HELPER],
      original: FORMAT_HELPER,
      loc: mustache.loc,
    } as hbs.AST.PathExpression;
    mustache.params = [value];
    (mustache as { hash: hbs.AST.Hash | undefined }).hash = undefined;
  }
}

type CompiledTemplate = (context: TemplateContext) => string;
const templateCache = new Map<string, CompiledTemplate>();

function compiled(template: string): CompiledTemplate {
  const cached = templateCache.get(template);
  if (cached) return cached;
  checkTemplateSize(template);
  const fn = interpolation(template) ?? compiledWithHandlebars(template);
  if (templateCache.size > 10_000) templateCache.clear();
  templateCache.set(template, fn);
  return fn;
}

const PLAIN_MUSTACHE = /\{\{\s*([^{}\s]+)\s*\}\}/g;
/** Dotted identifiers only: numeric or bracketed segments follow Handlebars' own rules. */
const PLAIN_PATH = /^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/;
/** Names Handlebars would call as helpers rather than look up. */
const BUILTIN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log', 'else', 'blockHelperMissing', 'helperMissing', 'this']);

/**
 * The common case, text with plain `{{path}}` inserts and nothing else, rendered without
 * Handlebars' per-call setup. Same output as Handlebars; anything fancier returns null.
 */
function interpolation(template: string): CompiledTemplate | null {
  if (template.includes('\\')) return null;
  const literals: string[] = [];
  const paths: (string | number)[][] = [];
  let last = 0;
  for (const match of template.matchAll(PLAIN_MUSTACHE)) {
    const expression = match[1] ?? '';
    const path = PLAIN_PATH.test(expression) && !BUILTIN_HELPERS.has(expression.split('.')[0] ?? '') ? parsePath(expression) : null;
    if (!path) return null;
    literals.push(template.slice(last, match.index));
    paths.push(path);
    last = match.index + match[0].length;
  }
  literals.push(template.slice(last));
  if (literals.some((text) => text.includes('{{') || text.includes('}}'))) return null;
  return (context) => {
    let out = literals[0] ?? '';
    for (let i = 0; i < paths.length; i += 1) out += formatValue(resolvePath(context, paths[i] ?? [])) + (literals[i + 1] ?? '');
    return out;
  };
}

function compiledWithHandlebars(template: string): CompiledTemplate {
  let fn: CompiledTemplate;
  try {
    const ast = handlebars.parse(template);
    new FormattingRewriter().accept(ast as unknown as HbsNode);
    const render = handlebars.compile(ast, { noEscape: true, strict: false, knownHelpersOnly: false });
    fn = (context) => {
      try {
        return render(context);
      } catch (error) {
        if (error instanceof TemplateLimitError) throw error;
        throw new TemplateError(template, error);
      }
    };
    // Compile now so a syntax error surfaces here, once, rather than at every render.
    fn({});
  } catch (error) {
    if (error instanceof TemplateError || error instanceof TemplateLimitError) throw error;
    throw new TemplateError(template, error);
  }
  return fn;
}
