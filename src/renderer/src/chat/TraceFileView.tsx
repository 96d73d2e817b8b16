import { useRef } from 'react';
import type { UpstreamTraceStep } from '../../../shared/trace/upstream-trace';
import { JsonView } from './JsonView';
import { useTraceFile } from './trace-file-store';

/** The button that opens a `trace.json`; reads the file in the page, so it works in both transports. */
export function OpenTraceButton() {
  const input = useRef<HTMLInputElement>(null);
  const open = useTraceFile((state) => state.open);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} title="Open a trace.json written by greentic-runner or --trace-out, and draw it on the canvas">
        Open trace…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="trace-file-input"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void file.text().then((text) => open(file.name, text));
        }}
      />
    </>
  );
}

/** The steps of an opened trace file, each with its component, time, hashes, error, input and output. */
export function TraceFileView() {
  const { file, error, close } = useTraceFile();
  if (error) {
    return (
      <div className="trace-error" role="alert" data-testid="trace-file-error">
        {error} <button type="button" onClick={close}>Close</button>
      </div>
    );
  }
  if (!file) return null;
  const { trace } = file;
  return (
    <section className="trace-file" data-testid="trace-file" aria-label={`Trace ${file.name}`}>
      <div className="turn-header">
        {file.name} · flow <strong>{trace.flow.id}</strong> {trace.flow.version} · {trace.steps.length} step{trace.steps.length === 1 ? '' : 's'}
        {trace.runner_version && <span className="muted"> · {trace.runner_version}</span>}
        <button type="button" onClick={close}>Close trace</button>
      </div>
      {!file.flowPath && <p className="muted" data-testid="trace-flow-missing">The open project has no flow with id {trace.flow.id}, so the trace is not drawn on the canvas.</p>}
      <ol className="steps">
        {trace.steps.map((step, index) => (
          <TraceFileStep key={index} step={step} index={index} />
        ))}
      </ol>
    </section>
  );
}

function TraceFileStep({ step, index }: { step: UpstreamTraceStep; index: number }) {
  const output = 'output_json' in step ? step.output_json : undefined;
  return (
    <li className={`trace-step${step.error ? ' failed' : ''}`} data-testid="trace-file-step" data-node-id={step.node_id}>
      <details>
        <summary>
          <span className="muted">{index + 1}.</span> <span className="step-id">{step.node_id}</span>{' '}
          <span className="muted">
            {step.component_id} {step.operation}
          </span>{' '}
          <span className="muted">{step.duration_ms} ms</span>
          {step.error && <span className="badge">failed</span>}
        </summary>
        {step.error && (
          <div className="trace-error">
            {step.error.code}: {step.error.message}
          </div>
        )}
        <dl className="trace-hashes">
          <dt>input</dt>
          <dd>
            <code>{step.input_hash.value}</code>
          </dd>
          <dt>output</dt>
          <dd>{step.output_hash ? <code>{step.output_hash.value}</code> : <span className="muted">none</span>}</dd>
        </dl>
        <div className="io">
          <div>
            <h4>Input</h4>
            {step.invocation_json ? <JsonView value={step.invocation_json.payload} /> : <p className="muted">not captured (run with --trace-capture-inputs)</p>}
          </div>
          <div>
            <h4>Output</h4>
            {output !== undefined ? <JsonView value={output} /> : <p className="muted">only its hash is in the trace</p>}
          </div>
        </div>
      </details>
    </li>
  );
}
