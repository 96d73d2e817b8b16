/** Where a node's routing leads after it ran (runtime.md §5.2). */
import type { JsonValue, Routing } from '../../shared/flow/compiled';
import { evaluateCondition } from './condition';

export type NoRouteMatch = 'park' | 'end';

export type RouteDecision =
  | { kind: 'next'; to: string }
  | { kind: 'end'; why: 'end' | 'reply' | 'no_route' | 'no_match' | 'not_array' }
  | { kind: 'park' };

/** `to: "out"` inside a route list means "leave the flow", as it does in the `.ygtc` source. */
const OUT = 'out';

export function decideRoute(
  routing: Routing,
  conditionContext: () => Record<string, JsonValue>,
  noRouteMatch: NoRouteMatch,
): RouteDecision {
  if (routing === 'end') return { kind: 'end', why: 'end' };
  if (routing === 'reply') return { kind: 'end', why: 'reply' };
  if ('next' in routing) return { kind: 'next', to: routing.next.node_id };
  if ('branch' in routing) {
    // Upstream never consults `on_status`: only the default is followed.
    return routing.branch.default ? { kind: 'next', to: routing.branch.default } : { kind: 'end', why: 'no_route' };
  }
  const routes = routing.custom;
  if (!Array.isArray(routes)) return { kind: 'end', why: 'not_array' };
  let context: Record<string, JsonValue> | undefined;
  let conditional = false;
  for (const route of routes) {
    if (!isObject(route)) continue;
    const to = typeof route.to === 'string' && route.to.length > 0 ? route.to : undefined;
    if (typeof route.condition === 'string') {
      conditional = true;
      context ??= conditionContext();
      if (to && evaluateCondition(route.condition, context)) return target(to);
    } else if (to) {
      return target(to);
    }
  }
  return conditional && noRouteMatch === 'park' ? { kind: 'park' } : { kind: 'end', why: 'no_match' };
}

function target(to: string): RouteDecision {
  return to === OUT ? { kind: 'end', why: 'end' } : { kind: 'next', to };
}

const ERROR_STATUSES = new Set(['error', 'on_error', 'failed', 'failure', 'err']);

/**
 * The node an error is routed to, when the node declares an error route: a route whose `status` is
 * one of the error family (`error`, `on_error`, `failed`, `failure`, `err`).
 */
export function errorRoute(routing: Routing): string | null {
  if (typeof routing === 'string') return null;
  if ('branch' in routing) {
    for (const [status, node] of Object.entries(routing.branch.on_status)) {
      if (ERROR_STATUSES.has(status.toLowerCase())) return node;
    }
    return null;
  }
  if ('custom' in routing && Array.isArray(routing.custom)) {
    for (const route of routing.custom) {
      if (isObject(route) && typeof route.status === 'string' && ERROR_STATUSES.has(route.status.toLowerCase())) {
        return typeof route.to === 'string' ? route.to : null;
      }
    }
  }
  return null;
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
