import { isObjectSchema, type FieldSchema } from '../catalog/json-schema';
import { CommitField } from './CommitField';
import { TemplateField } from './TemplateField';
import { RawYamlField } from './RawYamlField';

interface PayloadFormProps {
  schema: FieldSchema;
  /** What the value is called when the schema is not an object (`input` of a component operation). */
  name: string;
  value: unknown;
  /** Sets (value) or removes (undefined) one field, by its path inside `value`; [] is the value itself. */
  onField: (path: string[], value: unknown) => void;
}

/** A form drawn from the operation's input schema; fields it cannot draw are edited as YAML. */
export function PayloadForm({ schema, name, value, onField }: PayloadFormProps) {
  if (!isObjectSchema(schema)) {
    return (
      <div className="payload-form" data-testid="payload-form">
        <SchemaField name={name} field={schema} required={false} value={value} onChange={(v) => onField([], v)} />
      </div>
    );
  }
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const properties = Object.entries(schema.properties ?? {});
  const extra = Object.keys(record).filter((key) => !(key in (schema.properties ?? {})));
  return (
    <div className="payload-form" data-testid="payload-form">
      {properties.map(([key, field]) => (
        <SchemaField key={key} name={key} field={field} required={schema.required?.includes(key) ?? false} value={record[key]} onChange={(v) => onField([key], v)} />
      ))}
      {extra.map((key) => (
        <RawYamlField key={key} label={key} value={record[key]} onCommit={(v) => onField([key], v)} />
      ))}
    </div>
  );
}

function SchemaField({ name, field, required, value, onChange }: { name: string; field: FieldSchema; required: boolean; value: unknown; onChange: (value: unknown) => void }) {
  const label = `${field.title ?? name}${required ? ' *' : ''}`;
  const type = Array.isArray(field.type) ? field.type[0] : field.type;
  if (field.enum && field.enum.every((option) => typeof option === 'string')) {
    return (
      <label className="field">
        <span className="field-label">{label}</span>
        <select aria-label={field.title ?? name} value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}>
          <option value="">{required ? '(choose)' : '(none)'}</option>
          {(field.enum as string[]).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </label>
    );
  }
  if (type === 'boolean') {
    return (
      <label className="field field-inline">
        <input type="checkbox" aria-label={field.title ?? name} checked={value === true} onChange={(event) => onChange(event.target.checked)} />
        <span className="field-label">{label}</span>
      </label>
    );
  }
  if ((type === 'string' || type === undefined) && (typeof value === 'string' || value === undefined) && type !== undefined) {
    if (isTemplate(name, value)) {
      return <TemplateField label={field.title ?? name} value={typeof value === 'string' ? value : ''} onCommit={(next) => onChange(next === '' && !required ? undefined : next)} />;
    }
    return (
      <CommitField
        label={field.title ?? name}
        value={typeof value === 'string' ? value : ''}
        multiline={typeof value === 'string' && (value.includes('\n') || value.length > 60)}
        onCommit={(next) => onChange(next === '' && !required ? undefined : next)}
      />
    );
  }
  if ((type === 'integer' || type === 'number') && (typeof value === 'number' || value === undefined)) {
    return (
      <CommitField
        label={field.title ?? name}
        value={value === undefined ? '' : String(value)}
        onCommit={(next) => {
          const number = Number(next);
          if (next.trim() === '') onChange(undefined);
          else if (Number.isFinite(number) && (type === 'number' || Number.isInteger(number))) onChange(number);
        }}
      />
    );
  }
  return <RawYamlField label={field.title ?? name} value={value} onCommit={(next) => onChange(next === null ? undefined : next)} />;
}

/** Fields edited as Handlebars templates: the ones named so, and any text that already holds `{{`. */
function isTemplate(name: string, value: unknown): boolean {
  return name === 'template' || (typeof value === 'string' && value.includes('{{'));
}
