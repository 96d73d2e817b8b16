import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFlow, firstError, loadFlow, parseResolveSidecar } from '../../src/shared/flow';
import { conformancePath, hasConformance, loadExpectations } from '../support/conformance';

describe.skipIf(!hasConformance)('conformance flows meet expectations.json', () => {
  const expectations = hasConformance ? loadExpectations().flows : [];

  it('covers every flow file of the corpus', () => {
    const onDisk = ['flows/valid', 'flows/invalid'].flatMap((dir) =>
      readdirSync(conformancePath(dir))
        .filter((name) => name.endsWith('.ygtc'))
        .map((name) => `${dir}/${name}`),
    );
    expect(expectations.map((e) => e.file).sort()).toEqual(onDisk.sort());
  });

  for (const expectation of expectations) {
    const text = () => readFileSync(conformancePath(expectation.file), 'utf8');
    if (expectation.valid) {
      it(`${expectation.file} loads, compiles and passes the lints without errors`, () => {
        const loaded = loadFlow(text(), { sourceName: path.basename(expectation.file) });
        expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(loaded.ok).toBe(true);
        const compiled = compileFlow(loaded);
        expect(compiled.diagnostics).toEqual([]);
        expect(compiled.flow?.id).toBe(loaded.ir?.id);
        expect(compiled.flow?.nodes.map((n) => n.id)).toEqual(loaded.ir?.nodes.map((n) => n.id));
      });
    } else {
      it(`${expectation.file} fails at ${expectation.stage} with ${expectation.error_kind}`, () => {
        const loaded = loadFlow(text(), { sourceName: path.basename(expectation.file) });
        const error = firstError(loaded.diagnostics);
        expect(loaded.ok).toBe(false);
        expect(error?.kind).toBe(expectation.error_kind);
        // Upstream's NodeComponentShape text starts with "Node '<id>'"; the corpus quotes it in lower case.
        expect(error?.message.toLowerCase()).toContain(expectation.message_contains?.toLowerCase());
        expect(error?.range.line).toBeGreaterThan(0);
        if (expectation.stage === 'lint') {
          // A lint finding: upstream loads and compiles the flow.
          expect(loadFlow(text(), { lints: false }).ok).toBe(true);
          expect(compileFlow(text()).flow).not.toBeNull();
        } else {
          expect(compileFlow(text()).flow).toBeNull();
        }
      });
    }
  }

  it('reads the sidecar next to flow_ok as a valid FlowResolveV1', () => {
    const file = 'flows/valid/greentic-flow__tests__data__flow_ok.ygtc.resolve.json';
    const sidecar = parseResolveSidecar({ text: readFileSync(conformancePath(file), 'utf8'), file, flowFileName: 'flow_ok.ygtc' });
    expect(sidecar.diagnostics).toEqual([]);
    expect(Object.keys((sidecar.value?.nodes ?? {}) as object)).toEqual(['email_notify', 'in']);
  });

  it('checks the flow against its sidecar without drift', () => {
    const flow = readFileSync(conformancePath('flows/valid/greentic-flow__tests__data__flow_ok.ygtc'), 'utf8');
    const text = readFileSync(conformancePath('flows/valid/greentic-flow__tests__data__flow_ok.ygtc.resolve.json'), 'utf8');
    const loaded = loadFlow(flow, { resolveSidecar: { text, file: 'flow_ok.ygtc.resolve.json', flowFileName: 'flow_ok.ygtc' } });
    expect(loaded.diagnostics.filter((d) => d.code.startsWith('sidecar'))).toEqual([]);
  });
});
