import { useState } from 'react';
import type { BundlePack, BundleReport } from '../../../shared/api';
import { usePack } from '../pack/pack-store';
import { useProject } from '../store/project-store';
import { useUi } from '../store/ui-store';
import { useBundle } from './bundle-store';
import './bundle.css';

/** A deployment bundle as a read view: its packs, tenants, teams, rules and bindings, with every problem. */
export function BundleWorkspace() {
  const { report, error, busy, open, close } = useBundle();
  const [path, setPath] = useState('');
  return (
    <div className="bundle-workspace">
      <form
        className="bundle-toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          if (path.trim()) void open(path.trim());
        }}
      >
        <input aria-label="Bundle folder path" placeholder="/path/to/demo-bundle" value={path} onChange={(event) => setPath(event.target.value)} />
        <button type="submit" disabled={!path.trim() || busy}>
          Open bundle
        </button>
        {report && (
          <>
            <button type="button" onClick={() => void open(report.root)}>
              Check again
            </button>
            <button type="button" onClick={close}>
              Close
            </button>
          </>
        )}
      </form>
      {busy && (
        <p className="banner info" role="status">
          Checking the bundle…
        </p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {report ? (
        <BundleView report={report} />
      ) : (
        !busy && (
          <p className="empty">
            Open a deployment bundle (a folder with <code>greentic.demo.yaml</code>) to see its packs, tenants, teams, access rules and channel bindings, checked as{' '}
            <code>greentic-studio bundle check</code> checks them.
          </p>
        )
      )}
    </div>
  );
}

function BundleView({ report }: { report: BundleReport }) {
  const errors = report.problems.filter((problem) => problem.severity === 'error').length;
  return (
    <div className="bundle-body" data-testid="bundle-report">
      <h2>
        {report.name} <span className="muted">{report.root}</span>
      </h2>
      <p className={report.ok ? 'bundle-status ok' : 'bundle-status failed'} data-testid="bundle-status">
        {report.problems.length === 0 ? 'No problems.' : `${errors} error${errors === 1 ? '' : 's'}, ${report.problems.length - errors} warning${report.problems.length - errors === 1 ? '' : 's'}.`}
      </p>
      {report.problems.length > 0 && (
        <section aria-label="Problems">
          <h3>Problems</h3>
          <ul className="bundle-problems">
            {report.problems.map((problem, index) => (
              <li key={index} className={`bundle-problem ${problem.severity}`} data-testid="bundle-problem">
                <span className="badge">{problem.severity}</span> <code>{problem.where}</code> {problem.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      <PackTable title="Packs" root={report.root} packs={report.packs} />
      {report.providers.length > 0 && <PackTable title="Provider packs" root={report.root} packs={report.providers} />}
      <section aria-label="Tenants">
        <h3>Tenants and teams</h3>
        <ul className="bundle-tenants">
          {report.tenants.map((tenant) => (
            <li key={tenant.name} data-testid="bundle-tenant" data-tenant={tenant.name}>
              <strong>{tenant.name}</strong> <span className="muted">{tenant.gmap ?? 'no tenant.gmap: everything is forbidden'}</span>
              <Rules rules={tenant.rules} />
              {tenant.teams.map((team) => (
                <div key={team.name} className="bundle-team" data-testid="bundle-team" data-team={team.name}>
                  team <strong>{team.name}</strong> <span className="muted">{team.gmap ?? 'no team.gmap'}</span>
                  <Rules rules={team.rules} />
                </div>
              ))}
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="Bindings">
        <h3>Bindings</h3>
        <table className="bundle-table">
          <thead>
            <tr>
              <th>Tenant / team</th>
              <th>Flows its rules open</th>
              <th>Channels</th>
            </tr>
          </thead>
          <tbody>
            {report.bindings.map((binding) => (
              <tr key={`${binding.tenant}/${binding.team}`} data-testid="bundle-binding">
                <td>
                  {binding.tenant}/{binding.team}
                </td>
                <td>{binding.flows.length > 0 ? binding.flows.join(', ') : <span className="muted">none</span>}</td>
                <td>{binding.channels.length > 0 ? binding.channels.join(', ') : <span className="muted">Direct Line and NATS (no provider pack)</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function Rules({ rules }: { rules: BundleReport['tenants'][number]['rules'] }) {
  if (rules.length === 0) return null;
  return (
    <ul className="bundle-rules">
      {rules.map((rule) => (
        <li key={rule.line} className={`rule-${rule.policy}`}>
          <code>
            {rule.path} = {rule.policy}
          </code>{' '}
          <span className="muted">line {rule.line}</span>
        </li>
      ))}
    </ul>
  );
}

function PackTable({ title, root, packs }: { title: string; root: string; packs: BundlePack[] }) {
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <table className="bundle-table">
        <thead>
          <tr>
            <th>Path</th>
            <th>Pack</th>
            <th>Flows</th>
            <th>Components</th>
            <th>Signature</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {packs.map((pack) => (
            <tr key={pack.path} data-testid="bundle-pack" data-path={pack.path}>
              <td>
                <code>{pack.path}</code>
              </td>
              <td>{pack.packId ? `${pack.packId}${pack.version ? ` ${pack.version}` : ''}` : <span className="muted">unreadable</span>}</td>
              <td>{pack.flows.map((flow) => `${flow.id} (${flow.nodes.length})`).join(', ')}</td>
              <td>{pack.components.join(', ')}</td>
              <td>{pack.signature}</td>
              <td>
                {pack.packId && (
                  <button type="button" onClick={() => void openFlows(root, pack)}>
                    Open flows
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A pack archive opens in the Pack workspace (flows drawn read-only), a pack folder as the project. */
async function openFlows(root: string, pack: BundlePack): Promise<void> {
  const location = `${root.replace(/[\\/]+$/, '')}/${pack.path}`;
  if (pack.kind === 'gtpack') {
    useUi.getState().setWorkspace('pack');
    await usePack.getState().open(location);
  } else {
    await useProject.getState().openFolder(location);
    useUi.getState().setWorkspace('flows');
  }
}
