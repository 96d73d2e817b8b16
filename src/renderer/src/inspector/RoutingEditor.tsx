import { addRoute, moveRoute, removeRoute, retargetRoute, setRouting, type IrNode } from '../../../shared/flow';
import { isObject, type JsonObject } from '../../../shared/flow/json';
import { useEditor } from '../store/editor-store';
import { CommitField } from './CommitField';
import { conditionProblem } from './condition-problem';

/** The node's routes: add, remove, reorder, and edit target, condition, status, out and reply. */
export function RoutingEditor({ node, nodeIds }: { node: IrNode; nodeIds: string[] }) {
  const edit = useEditor((state) => state.edit);
  const id = node.id;
  const routes: JsonObject[] = Array.isArray(node.raw.routing) ? node.raw.routing.map((r) => (isObject(r) ? r : {})) : [];
  const replaceRoute = (index: number, next: JsonObject) => edit((text) => setRouting(text, id, routes.map((route, i) => (i === index ? next : route))));
  const setField = (index: number, key: string, value: unknown) => {
    const next: JsonObject = { ...(routes[index] ?? {}) };
    if (value === undefined || value === '' || value === false) delete next[key];
    else next[key] = value as JsonObject[string];
    replaceRoute(index, next);
  };

  if (node.routingForm === 'invalid') return <p className="field-problem">The routing block cannot be read; fix it in the YAML view.</p>;

  return (
    <div className="routing-editor" data-testid="routing-editor">
      {node.routingForm === 'shorthand' && (
        <p className="muted">
          Ends with <code>routing: {node.routes[0]?.kind}</code>.
        </p>
      )}
      {routes.map((route, index) => (
        <fieldset key={index} className="route-editor" data-testid="route-editor">
          <legend>Route {index + 1}</legend>
          <label className="field">
            <span className="field-label">Go to</span>
            <select
              aria-label={`Route ${index + 1} target`}
              value={typeof route.to === 'string' ? route.to : route.reply === true ? '(reply)' : route.out === true ? 'out' : ''}
              onChange={(event) => {
                const value = event.target.value;
                if (value === '(reply)') replaceRoute(index, { ...withoutTarget(route), reply: true });
                else if (typeof route.to === 'string' && value !== 'out') edit((text) => retargetRoute(text, id, index, value));
                else replaceRoute(index, { ...withoutTarget(route), to: value });
              }}
            >
              {typeof route.to !== 'string' && route.reply !== true && route.out !== true && <option value="">(none)</option>}
              {isMissingTarget(route.to, nodeIds) && (
                <option value={route.to as string} className="missing-target">
                  {route.to as string} (missing node)
                </option>
              )}
              {nodeIds.map((target) => (
                <option key={target} value={target}>
                  {target}
                </option>
              ))}
              <option value="out">out (end the flow)</option>
              <option value="(reply)">reply (end the turn)</option>
            </select>
          </label>
          <CommitField label={`Route ${index + 1} condition`} value={typeof route.condition === 'string' ? route.condition : ''} placeholder="none: taken when reached" check={conditionProblem} onCommit={(v) => setField(index, 'condition', v)} />
          <CommitField label={`Route ${index + 1} status`} value={typeof route.status === 'string' ? route.status : ''} onCommit={(v) => setField(index, 'status', v)} />
          <div className="route-actions">
            <button type="button" disabled={index === 0} onClick={() => edit((text) => moveRoute(text, id, index, index - 1))} aria-label={`Move route ${index + 1} up`}>
              ↑
            </button>
            <button type="button" disabled={index === routes.length - 1} onClick={() => edit((text) => moveRoute(text, id, index, index + 1))} aria-label={`Move route ${index + 1} down`}>
              ↓
            </button>
            <button type="button" onClick={() => edit((text) => removeRoute(text, id, index))} aria-label={`Remove route ${index + 1}`}>
              Remove
            </button>
          </div>
        </fieldset>
      ))}
      <div className="route-actions">
        <button type="button" onClick={() => edit((text) => addRoute(text, id, { to: 'out' }))}>
          Add route
        </button>
        <button type="button" onClick={() => edit((text) => setRouting(text, id, 'out'))} disabled={node.routingForm === 'shorthand' && node.routes[0]?.kind === 'out'}>
          End: out
        </button>
        <button type="button" onClick={() => edit((text) => setRouting(text, id, 'reply'))} disabled={node.routingForm === 'shorthand' && node.routes[0]?.kind === 'reply'}>
          End: reply
        </button>
      </div>
    </div>
  );
}

function withoutTarget(route: JsonObject): JsonObject {
  const next = { ...route };
  delete next.to;
  delete next.out;
  delete next.reply;
  return next;
}

/** A target that names no node: shown as itself, never as another node the select would fall back to. */
function isMissingTarget(to: unknown, nodeIds: readonly string[]): boolean {
  return typeof to === 'string' && to !== 'out' && !nodeIds.includes(to);
}
