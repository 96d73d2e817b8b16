import { useState } from 'react';
import { parse, stringify } from 'yaml';
import { CommitField } from './CommitField';

/** A value edited as YAML text: for whatever the form cannot show. Bad YAML is reported, never written. */
export function RawYamlField({ label, value, onCommit, testId }: { label: string; value: unknown; onCommit: (value: unknown) => void; testId?: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  const text = value === undefined ? '' : stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  return (
    <CommitField
      label={label}
      value={text}
      multiline
      testId={testId}
      problem={problem}
      onCommit={(next) => {
        try {
          const parsed: unknown = next.trim() === '' ? null : parse(next, { maxAliasCount: 100 });
          setProblem(null);
          onCommit(parsed);
        } catch (error) {
          setProblem(`not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        }
      }}
    />
  );
}
