import { useEffect, useRef, useState } from 'react';
import type { KeyVaultStatus, PackVersionInfo, ProgressEvent, SigningKeyInfo } from '../../../../shared/api';
import { studio } from '../../api/studio';
import { useProject } from '../../store/project-store';
import { useHostInfo } from '../../shell/host';
import { joinPath } from '../paths';
import { problemOf } from '../pack-store';
import { useModal } from '../use-modal';
import { useExportDialog } from './export-store';
import { ExportResult } from './ExportResult';
import { KeyField } from './KeyField';
import { runExport, type ExportOutcome, type ExportPhase } from './run-export';
import { chosenVersion, VersionField, type VersionChoice } from './VersionField';

const PHASE_TEXT: Record<ExportPhase, string> = {
  saving: 'Saving the flows being edited…',
  versioning: 'Writing the version into pack.yaml…',
  building: 'Building and signing…',
  verifying: 'Verifying the written file…',
};

/** Export the open project as a `.gtpack`: version, key, output file, build, sign, verify. */
export function ExportDialog() {
  const hide = useExportDialog((state) => state.hide);
  const root = useProject((state) => state.project?.root ?? null);
  const host = useHostInfo();
  const dialog = useRef<HTMLDivElement>(null);
  const onKeyDown = useModal(dialog, hide);

  const [info, setInfo] = useState<PackVersionInfo | null>(null);
  const [keys, setKeys] = useState<SigningKeyInfo[]>([]);
  const [vault, setVault] = useState<KeyVaultStatus | null>(null);
  const [choice, setChoice] = useState<VersionChoice>('keep');
  const [custom, setCustom] = useState('');
  const [keyId, setKeyId] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [output, setOutput] = useState<string | null>(null);
  const [phase, setPhase] = useState<ExportPhase | null>(null);
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  const [outcome, setOutcome] = useState<ExportOutcome | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!root) return;
    let live = true;
    studio.readPackVersion({ project: root }).then(
      (value) => live && setInfo(value),
      (error: unknown) => live && setProblem(problemOf(error).message),
    );
    studio.listSigningKeys({}).then((value) => live && setKeys(value), () => undefined);
    studio.keyVaultStatus({}).then((value) => live && setVault(value), () => undefined);
    return () => {
      live = false;
    };
  }, [root]);

  const target = info ? chosenVersion(info.version, choice, custom) : { version: null, problem: null };
  const suggested = info && target.version ? joinPath(info.root, 'dist', `${info.pack_id}-${target.version}.gtpack`) : '';
  const out = (output ?? suggested).trim();
  const busy = phase !== null;
  const passphraseMissing = keyId !== '' && vault?.passphrase_required === true && passphrase.length === 0;
  // The back end resolves paths on its own machine: only an absolute path means what the user sees.
  const outProblem = out !== '' && !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(out) ? 'Give the full path of the file, such as /home/me/packs/demo.gtpack' : null;
  const ready = info !== null && target.version !== null && out !== '' && outProblem === null && !busy && !passphraseMissing;

  async function exportPack() {
    if (!info || !target.version || !ready) return;
    setProblem(null);
    setOutcome(null);
    setProgress(null);
    try {
      const result = await runExport(
        { project: info.root, previousVersion: info.version, version: target.version, out, signingKeyId: keyId || null, passphrase },
        setPhase,
        setProgress,
      );
      setOutcome(result);
      setInfo({ ...info, version: result.built.version });
      setChoice('keep');
    } catch (error) {
      const reverted = target.version !== info.version ? ` pack.yaml keeps version ${info.version}.` : '';
      setProblem(`${problemOf(error).message}${reverted}`);
    } finally {
      setPhase(null);
    }
  }

  async function chooseOutput() {
    const picked = await studio
      .pickPath({ kind: 'save', title: 'Export the pack to', defaultPath: out || undefined, filters: [{ name: 'Greentic packs', extensions: ['gtpack'] }] })
      .catch(() => null);
    if (picked?.path) setOutput(picked.path);
  }

  return (
    <div className="dialog-backdrop" role="presentation" onKeyDown={onKeyDown}>
      <div className="dialog export-dialog" role="dialog" aria-modal="true" aria-labelledby="export-title" ref={dialog}>
        <h3 id="export-title">Export pack{info ? ` ${info.pack_id}` : ''}</h3>
        {!root && <p className="field-problem">Open a pack project first.</p>}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void exportPack();
          }}
        >
          {info && (
            <>
              <VersionField current={info.version} choice={choice} custom={custom} problem={target.problem} disabled={busy} onChoice={setChoice} onCustom={setCustom} />
              <KeyField
                keys={keys}
                vault={vault}
                keyId={keyId}
                passphrase={passphrase}
                disabled={busy}
                onKey={setKeyId}
                onPassphrase={setPassphrase}
                onCreated={(key, secret) => {
                  setKeys((current) => [...current, key]);
                  setKeyId(key.id);
                  setPassphrase(secret);
                }}
              />
              <fieldset disabled={busy}>
                <legend>Output file</legend>
                <span className="pack-path-row">
                  <input aria-label="Output file" value={output ?? suggested} onChange={(event) => setOutput(event.target.value)} />
                  {host?.nativeDialogs && (
                    <button type="button" onClick={() => void chooseOutput()}>
                      Choose…
                    </button>
                  )}
                </span>
                {outProblem && <p className="field-problem">{outProblem}</p>}
              </fieldset>
            </>
          )}
          {phase && (
            <div className="export-progress" role="status">
              <progress aria-label="Export progress" max={progress?.total ?? 1} value={phase === 'building' ? (progress?.done ?? 0) : phase === 'verifying' ? (progress?.total ?? 1) : 0} />
              <span className="muted">{phase === 'building' && progress?.label ? `${PHASE_TEXT[phase]} ${progress.label}` : PHASE_TEXT[phase]}</span>
            </div>
          )}
          {problem && (
            <p className="banner error" role="alert">
              {problem}
            </p>
          )}
          {outcome && <ExportResult outcome={outcome} fileManager={host?.fileManager ?? false} onClose={hide} onProblem={setProblem} />}
          <div className="dialog-actions">
            <button type="button" onClick={hide}>
              {outcome ? 'Close' : 'Cancel'}
            </button>
            <button type="submit" className="primary" disabled={!ready}>
              {busy ? 'Exporting…' : outcome ? 'Export again' : 'Export'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
