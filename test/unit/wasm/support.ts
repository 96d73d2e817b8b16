import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JsonValue } from '../../../src/shared/flow/compiled';
import type { ComponentInvocation, TenantCtx } from '../../../src/runtime/components/host';
import { buildTestComponents, type FixtureName } from '../../fixtures/components/build';
import { conformancePath } from '../../support/conformance';

/** The test components, built from source on first use (and rebuilt only when a source changed). */
let built: Promise<Record<FixtureName, string>> | null = null;
export function testComponents(): Promise<Record<FixtureName, string>> {
  built ??= buildTestComponents();
  return built;
}

export const INCIDENT_ID = 'ai.greentic.component-betterstack-incident.create-incident';

export function incidentPack(): string {
  return conformancePath('packs/archives/canonical-incident-demo.gtpack');
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'wasm-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function tenantCtx(overrides: Partial<TenantCtx> = {}): TenantCtx {
  return { env: 'dev', tenant: 'acme', flowId: 'main', nodeId: 'step', traceId: 'trace-1', sessionId: 'session-1', i18nId: 'en', attempt: 1, ...overrides };
}

export function invocation(componentId: string, operation: string, input: JsonValue, overrides: Partial<ComponentInvocation> = {}): ComponentInvocation {
  return {
    componentId,
    operation,
    input,
    config: null,
    ctx: tenantCtx(),
    turnInput: input,
    memory: undefined,
    signal: new AbortController().signal,
    ...overrides,
  };
}
