/**
 * Reading a node's `routing` value (flow-format §4.1): the shorthand strings, an absent value, or a
 * list of route items, each classified by what the runtime does with it.
 */
import { has, isObject, showValue } from './json';
import { memoOnValue } from './node-memo';

export type RouteKind = 'next' | 'branch' | 'condition' | 'out' | 'reply';

export interface RouteDoc {
  to?: string;
  out?: boolean;
  status?: string;
  reply?: boolean;
  condition?: string;
}

export type RoutingForm = 'none' | 'shorthand' | 'list';

export type ParsedRouting =
  | { ok: true; form: RoutingForm; routes: RouteDoc[] }
  | { ok: false; message: string };

/**
 * Upstream's `parse_routes`: the shorthands, null, or a list whose items decode as `RouteDoc`. The
 * loader, the model and the compiler all read a node's routing; a list is read once per loaded value.
 */
export function parseRouting(raw: unknown): ParsedRouting {
  return memoOnValue(raw, 'routing', () => readRouting(raw));
}

function readRouting(raw: unknown): ParsedRouting {
  if (raw === null || raw === undefined) return { ok: true, form: 'none', routes: [] };
  if (typeof raw === 'string') {
    if (raw === 'out') return { ok: true, form: 'shorthand', routes: [{ to: 'out', out: true }] };
    if (raw === 'reply') return { ok: true, form: 'shorthand', routes: [{ reply: true }] };
    return { ok: false, message: `invalid routing shorthand '${raw}'` };
  }
  if (!Array.isArray(raw)) return { ok: false, message: `invalid type: ${describeType(raw)}, expected a sequence` };
  const routes: RouteDoc[] = [];
  for (const item of raw) {
    const decoded = decodeRoute(item);
    if (typeof decoded === 'string') return { ok: false, message: decoded };
    routes.push(decoded);
  }
  return { ok: true, form: 'list', routes };
}

function decodeRoute(item: unknown): RouteDoc | string {
  if (!isObject(item)) return `invalid type: ${describeType(item)}, expected struct RouteDoc`;
  const route: RouteDoc = {};
  for (const key of ['to', 'status', 'condition'] as const) {
    if (!has(item, key) || item[key] === null) continue;
    if (typeof item[key] !== 'string') return `invalid type: ${describeType(item[key])}, expected a string`;
    route[key] = item[key] as string;
  }
  for (const key of ['out', 'reply'] as const) {
    if (!has(item, key) || item[key] === null) continue;
    if (typeof item[key] !== 'boolean') return `invalid type: ${describeType(item[key])}, expected a boolean`;
    route[key] = item[key] as boolean;
  }
  return route;
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'sequence';
  if (typeof value === 'object') return 'map';
  if (typeof value === 'string') return `string ${showValue(value)}`;
  if (typeof value === 'boolean') return `boolean \`${String(value)}\``;
  if (typeof value === 'number') return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  return typeof value;
}

/** What one route does at run time, for the canvas and inspector. */
export function routeKind(route: RouteDoc): RouteKind {
  if (route.condition !== undefined) return 'condition';
  if (route.reply === true) return 'reply';
  if (route.out === true || route.to === 'out') return 'out';
  if (route.status !== undefined) return 'branch';
  return 'next';
}

/** The node a route leads to, if any (`to: out` ends the flow and names no node). */
export function routeTarget(route: RouteDoc): string | null {
  return route.to !== undefined && route.to !== 'out' ? route.to : null;
}
