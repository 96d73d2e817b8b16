import { useEffect, useMemo, useRef, useState } from 'react';
import { changeOpKey, newNodeIdProblem, removePayloadField, renameStep, setNodeValue, setPayloadField, templatePathsFor, type Diagnostic, type FlowIr, type IrNode } from '../../../shared/flow';
import { renameInLayout } from '../../../shared/flow/layout';
import { configSchemaForNode, questionsForNode, schemaForNode } from '../catalog/op-schema';
import { ConfigForm } from './ConfigForm';
import { useCatalogComponents } from '../catalog/use-components';
import { registerCommand } from '../commands/registry';
import { useEditor } from '../store/editor-store';
import { CommitField } from './CommitField';
import { DiagnosticsList } from './DiagnosticsList';
import { PayloadForm } from './PayloadForm';
import { QuestionsForm } from './QuestionsForm';
import { RawYamlField } from './RawYamlField';
import { RunNodeDialog } from '../run-node/RunNodeDialog';
import { RoutingEditor } from './RoutingEditor';
import { TemplatePaths } from './TemplateField';

/** The selected node: id, op key, payload (form or YAML), routing, and its diagnostics. */
export function NodeInspector({ node, ir, diagnostics }: { node: IrNode; ir: FlowIr; diagnostics: Diagnostic[] }) {
  const edit = useEditor((state) => state.edit);
  const components = useCatalogComponents();
  const [rawPayload, setRawPayload] = useState(false);
  const [running, setRunning] = useState(false);
  const idField = useRef<HTMLInputElement>(null);
  // "Rename…" in the canvas node's menu: the id field is where a node is renamed.
  useEffect(
    () =>
      registerCommand('renameNode', () => {
        idField.current?.focus();
        idField.current?.select();
      }),
    [],
  );
  const schema = schemaForNode(node, components);
  const configSchema = configSchemaForNode(node, components);
  const questions = questionsForNode(node, components);
  const templatePaths = useMemo(() => templatePathsFor(ir, node.id), [ir, node.id]);
  const id = node.id;
  const inNode = diagnostics.filter((d) => !d.file && d.range.offset >= node.range.offset && d.range.offset < node.range.endOffset);
  const payloadAt = (path: string[]) => [...(schema?.at ?? []), ...path];
  const schemaValue = schema?.at.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], node.payload);

  return (
    <TemplatePaths.Provider value={templatePaths}>
    <div className="inspector-node" data-testid="node-inspector">
      <h2 className="inspector-node-title">
        <span>
          Node <code>{id}</code>
        </span>
        <button type="button" onClick={() => setRunning(true)} title="Run only this node, on an input from the last run or typed">
          Run this node…
        </button>
      </h2>
      {running && <RunNodeDialog nodeId={id} flowId={ir.id} onClose={() => setRunning(false)} />}
      <CommitField
        label="Node id"
        testId="node-id"
        inputRef={idField}
        value={id}
        check={(next) => (next === id ? null : (newNodeIdProblem(next)?.message ?? null))}
        onCommit={(next) => edit((text) => renameStep(text, id, next), { layout: (layout) => renameInLayout(layout, id, next), select: [next] })}
      />
      <CommitField label="Operation" testId="node-op" value={node.opKey ?? ''} onCommit={(next) => edit((text) => changeOpKey(text, id, next))} />

      <h3>
        Payload{' '}
        {schema && (
          <button type="button" className="link" onClick={() => setRawPayload(!rawPayload)}>
            {rawPayload ? 'form' : 'YAML'}
          </button>
        )}
      </h3>
      {schema && !rawPayload ? (
        <>
          <p className="muted">Schema: {schema.source}</p>
          <PayloadForm
            schema={schema.schema}
            name={schema.at[schema.at.length - 1] ?? node.opKey ?? 'payload'}
            value={schemaValue}
            onField={(path, value) =>
              edit((text) => (value === undefined ? removePayloadField(text, id, payloadAt(path)) : setPayloadField(text, id, payloadAt(path), value)))
            }
          />
        </>
      ) : (
        node.opKey && (
          <RawYamlField label="Payload (YAML)" testId="payload-yaml" value={node.payload} onCommit={(value) => edit((text) => setNodeValue(text, id, [node.opKey as string], value))} />
        )
      )}

      {questions && <QuestionsForm key={`${node.id} ${questions.component}`} node={node} questions={questions} />}

      {configSchema && node.opKey && (
        <ConfigForm
          schema={configSchema}
          value={(node.payload as Record<string, unknown> | null)?.config}
          onField={(path, value) =>
            edit((text) => (value === undefined ? removePayloadField(text, id, ['config', ...path]) : setPayloadField(text, id, ['config', ...path], value)))
          }
        />
      )}

      <h3>Routing</h3>
      <RoutingEditor node={node} nodeIds={ir.nodes.map((n) => n.id)} />

      <h3>Problems</h3>
      <DiagnosticsList diagnostics={inNode} />
    </div>
    </TemplatePaths.Provider>
  );
}
