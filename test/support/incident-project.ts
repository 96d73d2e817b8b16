/**
 * A project unpacked from the corpus's incident demo pack, whose `incident_create` flow (the one the
 * studio opens first) is one step calling upstream's BetterStack incident component, a real 0.6
 * component that asks its own setup questions.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unpackToProject } from '../../src/runtime/pack/workspace/unpack';
import { conformancePath } from './conformance';

export const INCIDENT_COMPONENT = 'ai.greentic.component-betterstack-incident.create-incident';

export async function incidentProject(): Promise<{ root: string; flowFile: string }> {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'studio-incident-')), 'incident');
  await unpackToProject(conformancePath('packs/archives/canonical-incident-demo.gtpack'), root);
  const flowFile = path.join(root, 'flows', 'incident_create.ygtc');
  writeFileSync(
    flowFile,
    `id: incident_create\ntype: messaging\nstart: create\nnodes:\n  create:\n    component.exec:\n      component: ${INCIDENT_COMPONENT}\n      operation: create-incident\n      input: {}\n    routing: out\n`,
  );
  return { root, flowFile };
}
