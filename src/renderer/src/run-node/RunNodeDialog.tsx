import { useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import type { BotMessage, NodeRunNext, NodeRunResult } from '../../../shared/api';
import { studio } from '../api/studio';
import { parseJson } from '../json/parse-json';
import { JsonTextField } from '../canvas/JsonTextField';
import { lastNodeEvent } from '../canvas/trace-lookup';
import { JsonView } from '../chat/JsonView';
import { isDirty } from '../document/flow-document';
import { useModal } from '../pack/use-modal';
import { useChat } from '../store/chat-store';
import { useEditor } from '../store/editor-store';
import { messageOf } from '../store/errors';
import '../canvas/node-menu.css';
import './run-node.css';

interface RunNodeDialogProps {
  nodeId: string;
  /** The id of the flow on the canvas: trace events name flows by id. */
  flowId: string | null;
  onClose: () => void;
}

type InputSource = 'trace' | 'payload';

const SOURCE_NOTE: Record<InputSource, string> = {
  trace: 'Prefilled with the input the node got in its last run in the chat.',
  payload: 'The node has not run in this conversation yet: prefilled with its payload as written, templates unrendered.',
};

/**
 * "Run this node": runs the one node on an input taken from the last trace or typed as JSON, and
 * shows what it returned, its logs and where the flow would go; no flow runs and no session changes.
 */
export function RunNodeDialog({ nodeId, flowId, onClose }: RunNodeDialogProps) {
  const flowPath = useEditor((state) => state.active);
  const [initial] = useState(() => initialInput(nodeId, flowId));
  const [text, setText] = useState(() => JSON.stringify(initial.value, null, 2));
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<NodeRunResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const parsed = parseJson(text, 'the input');

  async function run() {
    if (!parsed.ok || running || !flowPath) return;
    setRunning(true);
    setFailure(null);
    try {
      const editor = useEditor.getState();
      const doc = editor.docs[flowPath];
      // The back end runs the file: unsaved edits of the node are saved first, as autosave would.
      if (doc && doc.parses && isDirty(doc)) await editor.save(flowPath);
      const { settings } = useChat.getState();
      setResult(await studio.runNode({ flowPath, nodeId, input: parsed.value, tenant: settings.tenant, user: settings.user }));
    } catch (error) {
      setResult(null);
      setFailure(messageOf(error));
    } finally {
      setRunning(false);
    }
  }

  const dialog = useRef<HTMLDivElement>(null);
  const modalKeys = useModal(dialog, onClose);
  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.stopPropagation();
      void run();
    } else modalKeys(event);
  }

  // On the body: the inspector and the canvas clip what they hold.
  return createPortal(
    <div className="dialog-backdrop" role="presentation" onKeyDown={onKeyDown}>
      <div ref={dialog} className="dialog json-dialog run-node-dialog" role="dialog" aria-modal="true" aria-labelledby="run-node-title">
        <h3 id="run-node-title">
          Run <code>{nodeId}</code> on its own
        </h3>
        <p className="muted">
          Runs only this node, on the input below (as its templates would have rendered it): the flow does not run, no conversation&apos;s session changes,
          and a pinned output is not used. {SOURCE_NOTE[initial.source]}
        </p>
        <JsonTextField label="Node input (JSON)" text={text} onText={setText} parsed={parsed} failure={failure} maxRows={14} />
        <div className="dialog-actions">
          <button type="button" className="primary" disabled={!parsed.ok || running || !flowPath} onClick={() => void run()} title="Run the node (Ctrl+Enter)">
            {running ? 'Running…' : 'Run'}
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
        {result && <RunResult result={result} />}
      </div>
    </div>,
    document.body,
  );
}

function RunResult({ result }: { result: NodeRunResult }) {
  const took = `${Math.round(result.durationMs)} ms`;
  return (
    <section className="run-node-result" aria-label="Node run result" data-status={result.status}>
      {result.status === 'ok' ? (
        <>
          <p data-testid="run-node-summary">
            <strong>Ran</strong> {result.component ? <code>{result.component}</code> : null} in {took}. {describeNext(result.next)}
          </p>
          <h4>Output</h4>
          <JsonView value={result.output} />
          {result.replies.length > 0 && (
            <>
              <h4>Replies it sends</h4>
              <ul className="run-node-replies">
                {result.replies.map((reply, index) => (
                  <li key={index}>{replyText(reply)}</li>
                ))}
              </ul>
            </>
          )}
        </>
      ) : (
        <p data-testid="run-node-summary" className="run-node-error">
          <strong>Failed</strong> after {took}: <code>{result.error.code}</code> {result.error.message}
        </p>
      )}
      <h4>Logs</h4>
      {result.logs.length === 0 ? (
        <p className="muted">The node wrote no logs.</p>
      ) : (
        <ol className="run-node-logs" aria-label="Node logs">
          {result.logs.map((log, index) => (
            <li key={index}>
              <span className="muted">{log.source}</span> {log.text}
              {log.fields && log.fields.length > 0 && <span className="muted"> {log.fields.map(([key, value]) => `${key}=${value}`).join(' ')}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function describeNext(next: NodeRunNext): string {
  switch (next.action) {
    case 'continue':
      return 'In a run, the flow would go on along its routes.';
    case 'wait':
      return `In a run, the flow would wait here for the next message${next.reason ? ` (${next.reason})` : ''}.`;
    case 'park':
      return `In a run, the flow would stay at this node${next.reason ? ` (${next.reason})` : ''}.`;
    case 'jump':
      return `In a run, the flow would jump to ${next.flow}${next.node ? `/${next.node}` : ''}.`;
    case 'respond':
      return 'In a run, the turn would end here with this reply.';
  }
}

function replyText(reply: BotMessage): string {
  return reply.type === 'text' ? reply.text : 'an adaptive card';
}

/** The node's input in its last run in the chat, else its payload as written. */
function initialInput(nodeId: string, flowId: string | null): { value: unknown; source: InputSource } {
  const last = lastNodeEvent(useChat.getState().trace, 'node_start', flowId, nodeId);
  if (last) return { value: last.input, source: 'trace' };
  const { docs, active } = useEditor.getState();
  const node = active ? docs[active]?.model?.ir.nodes.find((candidate) => candidate.id === nodeId) : undefined;
  return { value: node?.payload ?? {}, source: 'payload' };
}
