/**
 * The condition subset the runtime evaluates (runtime.md §5.3): `path == value` or `path != value`,
 * compared case-insensitively; anything else evaluates to false. Conditions are stored verbatim;
 * this tells the editor whether one will behave as written.
 */

export interface ParsedCondition {
  path: string[];
  operator: '==' | '!=';
  /** The comparison value with surrounding double quotes trimmed, as the runtime does. */
  value: string;
}

export type ConditionCheck = { ok: true; condition: ParsedCondition } | { ok: false; reason: string };

const SEGMENT = /^[^.\s[\]]+$/;

export function checkCondition(expression: string): ConditionCheck {
  const eq = expression.indexOf('==');
  const ne = expression.indexOf('!=');
  const at = eq >= 0 ? eq : ne;
  if (at < 0) {
    const operator = /(>=|<=|&&|\|\||[<>!])/.exec(expression)?.[1];
    const what = operator ? `operator '${operator}' is not supported` : 'it has no == or != comparison';
    return { ok: false, reason: `${what}; the runtime evaluates this condition as false` };
  }
  const operator = eq >= 0 ? '==' : '!=';
  const left = expression.slice(0, at).trim();
  const right = expression.slice(at + 2).trim();
  const path = left.split('.');
  if (left === '' || !path.every((segment) => SEGMENT.test(segment))) {
    return { ok: false, reason: `'${left}' is not a dotted path of plain keys (no [index], no spaces); the runtime evaluates this condition as false` };
  }
  const combined = /(&&|\|\||==|!=)/.exec(right)?.[1];
  if (combined) return { ok: false, reason: `only one comparison is evaluated; '${combined}' and what follows are compared as text` };
  if (/^'.*'$/.test(right)) return { ok: false, reason: `single quotes are not trimmed; the value is compared with its quotes (use double quotes)` };
  const value = /^".*"$/.test(right) && right.length >= 2 ? right.slice(1, -1) : right;
  return { ok: true, condition: { path, operator, value } };
}
