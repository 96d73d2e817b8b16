/**
 * Compiling a node's `routing` into the runtime `Routing` (flow-format §4.2, upstream
 * `compile_routing`); the first matching rule wins.
 */
import type { JsonValue, Routing } from './compiled';
import { identifierProblem } from './identifiers';
import { parseRouting, type RouteDoc } from './routes';

export type RoutingProblem =
  | { kind: 'Routing'; message: string }
  | { kind: 'MissingNode'; target: string }
  | { kind: 'InvalidIdentifier'; target: string; detail: string };

export type CompiledRouting = { ok: true; routing: Routing } | { ok: false; problem: RoutingProblem };

export function compileRouting(raw: unknown, nodeIds: ReadonlySet<string>): CompiledRouting {
  const parsed = parseRouting(raw);
  if (!parsed.ok) return { ok: false, problem: { kind: 'Routing', message: parsed.message } };
  const routes = parsed.routes;
  const custom: CompiledRouting = { ok: true, routing: { custom: (raw ?? null) as JsonValue } };
  if (parsed.form === 'shorthand') return { ok: true, routing: routes[0]?.reply ? 'reply' : 'end' };
  if (routes.length === 0) return { ok: true, routing: 'end' };

  if (routes.some((r) => r.condition !== undefined)) {
    const missing = routes.find((r) => r.to !== undefined && !nodeIds.has(r.to));
    return missing ? missingNode(missing) : custom;
  }
  if (routes.length === 1) return single(routes[0] as RouteDoc, nodeIds, custom);

  const onStatus: Record<string, string> = {};
  let fallback: string | null = null;
  let anyStatus = false;
  for (const route of routes) {
    if (route.reply === true || route.out === true || route.to === undefined) return custom;
    const checked = checkTarget(route, nodeIds);
    if (checked) return checked;
    if (route.status !== undefined) {
      anyStatus = true;
      onStatus[route.status] = route.to;
    } else fallback = route.to;
  }
  if (anyStatus || fallback !== null) return { ok: true, routing: { branch: { on_status: sortKeys(onStatus), default: fallback } } };
  return custom;
}

function single(route: RouteDoc, nodeIds: ReadonlySet<string>, custom: CompiledRouting): CompiledRouting {
  if (route.reply === true) return { ok: true, routing: 'reply' };
  if (route.status !== undefined) return custom;
  if (route.to !== undefined) {
    if (route.to === 'out' || route.out === true) return { ok: true, routing: 'end' };
    return checkTarget(route, nodeIds) ?? { ok: true, routing: { next: { node_id: route.to } } };
  }
  if (route.out === true) return { ok: true, routing: 'end' };
  return custom;
}

function checkTarget(route: RouteDoc, nodeIds: ReadonlySet<string>): CompiledRouting | null {
  const target = route.to as string;
  if (!nodeIds.has(target)) return missingNode(route);
  const detail = identifierProblem('node id', target);
  return detail ? { ok: false, problem: { kind: 'InvalidIdentifier', target, detail } } : null;
}

function missingNode(route: RouteDoc): CompiledRouting {
  return { ok: false, problem: { kind: 'MissingNode', target: route.to as string } };
}

function sortKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
