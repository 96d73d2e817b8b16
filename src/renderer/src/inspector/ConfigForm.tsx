import { validateConfig } from '../../../shared/flow';
import type { FieldSchema } from '../catalog/json-schema';
import { PayloadForm } from './PayloadForm';

interface ConfigFormProps {
  schema: { schema: FieldSchema; raw: unknown; component: string };
  value: unknown;
  onField: (path: string[], value: unknown) => void;
}

/** The step's `config`, drawn from its component's `config_schema` and checked as `validate` checks it. */
export function ConfigForm({ schema, value, onField }: ConfigFormProps) {
  const issues = validateConfig(schema.raw, value ?? {});
  return (
    <section aria-label="Configuration" data-testid="config-form">
      <h3>Configuration</h3>
      <p className="muted">Schema: {schema.component} config_schema</p>
      <PayloadForm schema={schema.schema} name="config" value={value} onField={onField} />
      {issues.length > 0 && (
        <ul className="field-problem" aria-label="Configuration problems" data-testid="config-problems">
          {issues.map((issue) => (
            <li key={`${issue.code}-${issue.path}`}>{issue.message}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
