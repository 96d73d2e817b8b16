/** A value as indented JSON, bounded so that a huge payload cannot freeze the panel. */
const MAX_CHARS = 20_000;

export function JsonView({ value }: { value: unknown }) {
  if (value === undefined) return <pre className="json muted">—</pre>;
  let text = JSON.stringify(value, null, 2) ?? String(value);
  if (text.length > MAX_CHARS) text = `${text.slice(0, MAX_CHARS)}\n… (${text.length - MAX_CHARS} more characters)`;
  // Focusable: a long value scrolls, and a keyboard user must be able to scroll it too.
  return (
    <pre className="json" tabIndex={0}>
      {text}
    </pre>
  );
}
