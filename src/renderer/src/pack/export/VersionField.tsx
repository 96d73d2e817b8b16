import { bumpVersion, isSemver, type VersionBump } from '../../../../shared/semver';

export type VersionChoice = 'keep' | VersionBump | 'custom';

const BUMPS: VersionBump[] = ['patch', 'minor', 'major'];

/** The version the export will write into pack.yaml, or why it cannot. */
export function chosenVersion(current: string, choice: VersionChoice, custom: string): { version: string | null; problem: string | null } {
  if (choice === 'keep') return { version: current, problem: isSemver(current) ? null : `pack.yaml has version "${current}", which is not a semantic version` };
  if (choice === 'custom') {
    const typed = custom.trim();
    return isSemver(typed) ? { version: typed, problem: null } : { version: null, problem: 'Type a semantic version such as 1.2.3 or 2.0.0-rc.1' };
  }
  const bumped = bumpVersion(current, choice);
  return bumped ? { version: bumped, problem: null } : { version: null, problem: `"${current}" is not a semantic version, so it cannot be bumped` };
}

interface Props {
  current: string;
  choice: VersionChoice;
  custom: string;
  problem: string | null;
  disabled: boolean;
  onChoice(choice: VersionChoice): void;
  onCustom(value: string): void;
}

/** Keep the version of pack.yaml, bump it, or type another one. */
export function VersionField({ current, choice, custom, problem, disabled, onChoice, onCustom }: Props) {
  return (
    <fieldset disabled={disabled}>
      <legend>Version (pack.yaml: {current})</legend>
      <div className="export-choices" role="radiogroup" aria-label="Version">
        <label>
          <input type="radio" name="version" checked={choice === 'keep'} onChange={() => onChoice('keep')} />
          Keep {current}
        </label>
        {BUMPS.map((bump) => (
          <label key={bump}>
            <input type="radio" name="version" checked={choice === bump} onChange={() => onChoice(bump)} />
            {bump[0]?.toUpperCase()}
            {bump.slice(1)} {bumpVersion(current, bump) ?? ''}
          </label>
        ))}
        <label>
          <input type="radio" name="version" checked={choice === 'custom'} onChange={() => onChoice('custom')} />
          Other
        </label>
        <input
          aria-label="Other version"
          value={custom}
          placeholder="1.2.3"
          size={12}
          onChange={(event) => {
            onChoice('custom');
            onCustom(event.target.value);
          }}
        />
      </div>
      {problem && <p className="field-problem">{problem}</p>}
    </fieldset>
  );
}
