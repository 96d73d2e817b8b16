/**
 * Span, event and attribute names of the runner's telemetry. Upstream's greentic-telemetry names
 * the flow execution span `greentic.op.runner_exec` and a WASM invocation
 * `greentic.op.component_invoke`, tags tenants and teams as `greentic.tenant.id` / `greentic.team.id`
 * and reports `greentic.op.status` and `greentic.op.duration_ms` on the operation; those names are
 * kept, next to the `greentic.*` scope attributes every span of a turn carries.
 */
export const SPAN_TURN = 'greentic.op.runner_exec';
export const SPAN_COMPONENT = 'greentic.op.component_invoke';
/** Node spans are named after the node (`greentic.node ask_name`): node ids are few per flow. */
export const SPAN_NODE_PREFIX = 'greentic.node ';

export const ATTR_ENV = 'greentic.env';
export const ATTR_TENANT = 'greentic.tenant';
export const ATTR_TEAM = 'greentic.team';
export const ATTR_FLOW = 'greentic.flow.id';
export const ATTR_NODE = 'greentic.node.id';
export const ATTR_OP = 'greentic.op';
export const ATTR_SESSION = 'greentic.session.key';
export const ATTR_CHANNEL = 'greentic.channel';
export const ATTR_TENANT_ID = 'greentic.tenant.id';
export const ATTR_TEAM_ID = 'greentic.team.id';
export const ATTR_OP_STATUS = 'greentic.op.status';
export const ATTR_OP_DURATION = 'greentic.op.duration_ms';
export const ATTR_TURN_ID = 'greentic.turn.id';
export const ATTR_COMPONENT = 'greentic.component.id';
export const ATTR_NEXT_NODE = 'greentic.next_node.id';
export const ATTR_REASON = 'greentic.wait.reason';
export const ATTR_ATTEMPT = 'greentic.turn.attempt';
export const ATTR_PINNED = 'greentic.node.pinned';

export const EVENT_PARK = 'greentic.session.park';
export const EVENT_WAIT = 'greentic.session.wait';
export const EVENT_RESUME = 'greentic.session.resume';
export const EVENT_RETRY = 'greentic.turn.retry';
export const EVENT_JUMP = 'greentic.flow.jump';

/** Metric instruments (upstream counts operations as `greentic.operation.count`; turns follow that shape). */
export const METRIC_TURNS = 'greentic.turn.count';
export const METRIC_TURN_DURATION = 'greentic.turn.duration_ms';
export const METRIC_NODE_DURATION = 'greentic.node.duration_ms';
export const METRIC_ACTIVE_SESSIONS = 'greentic.session.active';
export const METRIC_MESSAGES = 'greentic.channel.messages';
export const METRIC_SPANS_DROPPED = 'greentic.telemetry.spans_dropped';
