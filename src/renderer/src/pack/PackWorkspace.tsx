import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PackInspection } from '../../../shared/api';
import { OpenAsProjectDialog } from './OpenAsProjectDialog';
import { PackAssets } from './PackAssets';
import { PackComponents } from './PackComponents';
import { installPackDrop } from './pack-drop';
import { PackFlows } from './PackFlows';
import { PackOpener } from './PackOpener';
import { usePack, type PackProblem } from './pack-store';
import { PackSummary } from './PackSummary';
import { SbomTable } from './SbomTable';
import { SignaturePanel } from './SignaturePanel';
import './pack.css';

installPackDrop();

type Tab = 'flows' | 'components' | 'assets' | 'sbom' | 'signatures';

/** The pack inspector: open a `.gtpack` and see what it holds, whether it is intact, and who signed it. */
export function PackWorkspace() {
  const { path, name, inspection, problem, busy } = usePack(useShallow((state) => ({ path: state.path, name: state.name, inspection: state.inspection, problem: state.problem, busy: state.busy })));
  const reload = usePack((state) => state.reload);
  const close = usePack((state) => state.close);
  const [unpacking, setUnpacking] = useState(false);
  const shown = inspection && path ? { inspection, path } : null;

  return (
    <div className="pack-workspace">
      <div className="pack-toolbar">
        <PackOpener compact={shown !== null || problem !== null} />
        {shown && (
          <span className="pack-actions">
            <button type="button" onClick={() => setUnpacking(true)}>
              Open as project…
            </button>
            <button type="button" onClick={() => void reload()}>
              Reload
            </button>
            <button type="button" onClick={close}>
              Close
            </button>
          </span>
        )}
      </div>
      {busy && (
        <p className="banner info" role="status">
          {busy}
        </p>
      )}
      {problem && <ProblemBanner name={name} problem={problem} />}
      {shown ? (
        <div className="pack-body">
          <PackSummary name={name} inspection={shown.inspection} />
          <PackTabs key={shown.path} path={shown.path} inspection={shown.inspection} />
        </div>
      ) : (
        !problem &&
        !busy && (
          <p className="empty pack-empty">
            Open a <code>.gtpack</code> to see its flows, components, assets, SBOM and signatures, or drop one onto the window.
          </p>
        )
      )}
      {unpacking && shown && <OpenAsProjectDialog path={shown.path} inspection={shown.inspection} onClose={() => setUnpacking(false)} />}
    </div>
  );
}

function ProblemBanner({ name, problem }: { name: string | null; problem: PackProblem }) {
  return (
    <div className="banner error pack-problem" role="alert">
      <strong>{name ? `${name} cannot be opened` : 'The pack cannot be opened'}</strong>
      <p>{problem.message}</p>
      <p className="muted">
        error <code>{problem.reason ?? problem.code}</code>
        {problem.entry && (
          <>
            {' '}
            in entry <code>{problem.entry}</code>
          </>
        )}
      </p>
    </div>
  );
}

function PackTabs({ path, inspection }: { path: string; inspection: PackInspection }) {
  const [tab, setTab] = useState<Tab>('flows');
  const sbomProblems = inspection.sbom.problems.length;
  const tabs: Array<{ id: Tab; label: string }> = [
    { id: 'flows', label: `Flows (${inspection.flow_details.length})` },
    { id: 'components', label: `Components (${inspection.component_details.length})` },
    { id: 'assets', label: 'Assets' },
    { id: 'sbom', label: sbomProblems > 0 ? `SBOM (${sbomProblems} ${sbomProblems === 1 ? 'problem' : 'problems'})` : 'SBOM' },
    { id: 'signatures', label: `Signatures (${inspection.signatures.length})` },
  ];
  return (
    <div className="pack-tabs-area">
      <div className="segmented pack-tabs" role="tablist" aria-label="Pack contents">
        {tabs.map((entry) => (
          <button
            key={entry.id}
            type="button"
            role="tab"
            id={`pack-tab-${entry.id}`}
            aria-selected={tab === entry.id}
            aria-controls={`pack-panel-${entry.id}`}
            tabIndex={tab === entry.id ? 0 : -1}
            onClick={() => setTab(entry.id)}
            onKeyDown={(event) => {
              const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
              if (step === 0) return;
              const next = tabs[(tabs.findIndex((candidate) => candidate.id === tab) + step + tabs.length) % tabs.length];
              if (!next) return;
              setTab(next.id);
              document.getElementById(`pack-tab-${next.id}`)?.focus();
            }}
          >
            {entry.label}
          </button>
        ))}
      </div>
      <div className="pack-panel" role="tabpanel" id={`pack-panel-${tab}`} aria-labelledby={`pack-tab-${tab}`}>
        {tab === 'flows' && <PackFlows path={path} inspection={inspection} />}
        {tab === 'components' && <PackComponents inspection={inspection} />}
        {tab === 'assets' && <PackAssets path={path} inspection={inspection} />}
        {tab === 'sbom' && <SbomTable inspection={inspection} />}
        {tab === 'signatures' && <SignaturePanel inspection={inspection} />}
      </div>
    </div>
  );
}
