import { useEffect, useMemo, useState } from 'react';
import type { PackFlowReport, PackInspection } from '../../../shared/api';
import { studio } from '../api/studio';
import { graphOfCompiled, graphOfSource, type DrawnFlow } from './pack-graph';
import { problemOf } from './pack-store';
import { ReadOnlyFlowCanvas } from './ReadOnlyFlowCanvas';

/** The pack's flows: pick one, see it drawn from the compiled manifest (or its YAML in legacy packs). */
export function PackFlows({ path, inspection }: { path: string; inspection: PackInspection }) {
  const flows = inspection.flow_details;
  const [selected, setSelected] = useState(flows[0]?.id ?? null);
  const flow = flows.find((candidate) => candidate.id === selected) ?? flows[0];
  if (!flow) return <p className="empty">This pack has no flows.</p>;
  return (
    <div className="pack-split">
      <ul className="pack-list" aria-label="Flows">
        {flows.map((candidate) => (
          <li key={candidate.id}>
            <button type="button" aria-pressed={candidate.id === flow.id} onClick={() => setSelected(candidate.id)}>
              {candidate.id}
              <span className="muted"> {candidate.kind}</span>
            </button>
          </li>
        ))}
      </ul>
      <FlowView key={flow.id} path={path} inspection={inspection} flow={flow} />
    </div>
  );
}

function FlowView({ path, inspection, flow }: { path: string; inspection: PackInspection; flow: PackFlowReport }) {
  const compiled = useMemo(() => (flow.flow ? graphOfCompiled(flow.flow) : null), [flow]);
  const source = useLegacySource(path, inspection, flow);
  const drawn = compiled ?? source.drawn;
  const steps = drawn?.graph.nodes.length ?? 0;
  return (
    <section className="pack-detail" aria-label={`Flow ${flow.id}`}>
      <header className="pack-detail-header">
        <h3>{flow.id}</h3>
        <span className="muted">
          {flow.kind} · {steps} {steps === 1 ? 'step' : 'steps'}
          {flow.entrypoints.length > 0 && ` · entry points: ${flow.entrypoints.join(', ')}`}
          {flow.tags.length > 0 && ` · tags: ${flow.tags.join(', ')}`}
          {!flow.flow && source.entry && ` · drawn from ${source.entry}`}
        </span>
      </header>
      {drawn ? (
        steps > 0 ? (
          <ReadOnlyFlowCanvas flow={drawn} label={`Flow ${flow.id}, read-only`} />
        ) : (
          <p className="empty">This flow has no steps.</p>
        )
      ) : (
        <p className="empty">{source.problem ?? (flow.flow ? 'This flow cannot be drawn.' : 'Loading the flow source…')}</p>
      )}
    </section>
  );
}

/** Legacy packs carry no compiled flow in their manifest, but the YAML source beside it. */
function useLegacySource(path: string, inspection: PackInspection, flow: PackFlowReport): { drawn: DrawnFlow | null; entry: string | null; problem: string | null } {
  const entry = flow.flow
    ? null
    : ([`flows/${flow.id}/flow.ygtc`, `flows/${flow.id}/flow.yaml`].find((candidate) => inspection.entries.some((e) => e.path === candidate)) ?? null);
  const [state, setState] = useState<{ drawn: DrawnFlow | null; problem: string | null }>({ drawn: null, problem: null });
  useEffect(() => {
    if (flow.flow) return;
    if (!entry) {
      setState({ drawn: null, problem: 'This legacy pack carries no YAML source for the flow.' });
      return;
    }
    let live = true;
    studio.readPackEntry({ path, entry }).then(
      (content) => {
        if (!live) return;
        const drawn = content.text === null ? null : graphOfSource(content.text);
        setState({ drawn, problem: drawn ? null : `${entry} is not a readable flow.` });
      },
      (error: unknown) => live && setState({ drawn: null, problem: problemOf(error).message }),
    );
    return () => {
      live = false;
    };
  }, [path, entry, flow.flow]);
  return { ...state, entry };
}
