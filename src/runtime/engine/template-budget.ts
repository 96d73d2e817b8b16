/**
 * The bounds of template work in one node. Templates run in-process and synchronously, so nothing
 * can interrupt them from outside; the budget has two halves instead:
 *
 * - before parsing, a size check: Handlebars' parser and compiler are not interruptible and grow
 *   faster than linearly with nesting (2,000 nested blocks overflow the stack, 5,000 take a minute),
 *   so a template longer than `MAX_TEMPLATE_CHARS` or nested deeper than `MAX_TEMPLATE_NESTING`
 *   is refused unparsed;
 * - while rendering, a cooperative clock: every output statement, helper call and block iteration
 *   goes through `tick()`, which fails the render once the node's deadline has passed or its output
 *   has grown past `MAX_RENDERED_CHARS`. Rendering has no other loops, so it cannot run unchecked.
 */

/** Longest template string a node may carry. */
export const MAX_TEMPLATE_CHARS = 64 * 1024;
/** Deepest nesting of block statements (`{{#if}}`, `{{#each}}`, ...) in one template. */
export const MAX_TEMPLATE_NESTING = 64;
/** Time the templates of one node may take to render. */
export const TEMPLATE_TIME_BUDGET_MS = 1000;
/** Characters one rendered template may produce. */
export const MAX_TEMPLATE_OUTPUT_CHARS = 1024 * 1024;
/**
 * Characters the blocks of one node may produce, counted at every nesting level (so a block's text
 * counts once per enclosing block): stops a runaway render long before its output is assembled.
 */
export const MAX_RENDERED_CHARS = 16 * MAX_TEMPLATE_OUTPUT_CHARS;

/** Checked this often (in ticks) against the clock: reading it on every tick would cost more than the work. */
const TICKS_PER_CLOCK_READ = 64;

export type TemplateLimitCode = 'template_timeout' | 'template_too_large';

export class TemplateLimitError extends Error {
  constructor(
    readonly code: TemplateLimitCode,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateLimitError';
  }
}

export class RenderBudget {
  private ticks = 0;
  private rendered = 0;

  constructor(
    /** `performance.now()` after which rendering fails. */
    private readonly deadline: number,
    private readonly budgetMs: number,
  ) {}

  /** The budget of one node: `TEMPLATE_TIME_BUDGET_MS`, or less when the turn ends sooner. */
  static forNode(turnDeadline = Infinity): RenderBudget {
    const now = performance.now();
    return new RenderBudget(Math.min(now + TEMPLATE_TIME_BUDGET_MS, turnDeadline), TEMPLATE_TIME_BUDGET_MS);
  }

  tick(): void {
    this.ticks += 1;
    if (this.ticks % TICKS_PER_CLOCK_READ === 0 && performance.now() > this.deadline) {
      throw new TemplateLimitError('template_timeout', `template_timeout: the node's templates did not finish rendering within ${this.budgetMs} ms`);
    }
  }

  produced(text: string): string {
    this.rendered += text.length;
    if (this.rendered > MAX_RENDERED_CHARS) {
      throw new TemplateLimitError('template_too_large', `template_too_large: the node's templates produce more than ${MAX_RENDERED_CHARS} characters`);
    }
    return text;
  }
}

/** Refuses a template too long or too deeply nested to parse within bounds. */
export function checkTemplateSize(template: string): void {
  if (template.length > MAX_TEMPLATE_CHARS) {
    throw new TemplateLimitError('template_too_large', `template_too_large: a template of ${template.length} characters is longer than the ${MAX_TEMPLATE_CHARS} allowed`);
  }
  const depth = blockNesting(template);
  if (depth > MAX_TEMPLATE_NESTING) {
    throw new TemplateLimitError('template_too_large', `template_too_large: blocks nested ${depth} deep, more than the ${MAX_TEMPLATE_NESTING} allowed`);
  }
}

export function checkTemplateOutput(output: string): string {
  if (output.length > MAX_TEMPLATE_OUTPUT_CHARS) {
    throw new TemplateLimitError('template_too_large', `template_too_large: a template produced ${output.length} characters, more than the ${MAX_TEMPLATE_OUTPUT_CHARS} allowed`);
  }
  return output;
}

/** `{{#...}}` / `{{^name}}` open a block, `{{/...}}` closes one; comments are skipped and `{{^}}` is an else. */
const MUSTACHE_TAG = /\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}|\{\{~?\s*([#/]|\^(?!\s*~?\}\}))/g;

/** The deepest block nesting of a template, as its tags say (without parsing it). */
function blockNesting(template: string): number {
  let depth = 0;
  let deepest = 0;
  for (const match of template.matchAll(MUSTACHE_TAG)) {
    const sigil = match[1];
    if (sigil === undefined) continue;
    if (sigil === '/') depth = Math.max(0, depth - 1);
    else deepest = Math.max(deepest, (depth += 1));
  }
  return deepest;
}
