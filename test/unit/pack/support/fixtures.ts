import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodePackManifest } from '../../../../src/runtime/pack/manifest';
import type { PackManifest } from '../../../../src/runtime/pack/manifest/model';

/** A small valid pack-v1 manifest with one flow, for building hostile and tampered archives. */
export function sampleManifest(overrides: Partial<PackManifest> = {}): PackManifest {
  return {
    schema_version: 'pack-v1',
    pack_id: 'test.pack',
    version: '1.0.0',
    kind: 'application',
    publisher: 'Test Publisher',
    components: [],
    flows: [
      {
        id: 'main',
        kind: 'messaging',
        tags: ['default'],
        entrypoints: ['default'],
        flow: {
          schema_version: 'flow-v1',
          id: 'main',
          kind: 'messaging',
          entrypoints: { default: 'hello' },
          nodes: [
            {
              id: 'hello',
              component: { id: 'emit.response', pack_alias: null, operation: null },
              input: { mapping: { text: 'hi', ratio: 0.5 } },
              output: { mapping: {} },
              routing: 'end',
              telemetry: { attributes: {} },
            },
          ],
          metadata: { tags: [], extra: {} },
        },
      },
    ],
    dependencies: [],
    capabilities: [],
    secret_requirements: [],
    signatures: [],
    extensions: { 'greentic.pack-mode.v1': { kind: 'greentic.pack-mode.v1', version: '1', inline: { mode: 'prod' } } },
    ...overrides,
  };
}

export function sampleManifestBytes(): Uint8Array {
  return encodePackManifest(sampleManifest());
}

/** A pack project folder in a fresh temp dir: pack.yaml, one flow, an asset, layout and pinned-output sidecars. */
export function writeSampleProject(files: Record<string, string | Uint8Array> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'gtpack-project-'));
  const defaults: Record<string, string | Uint8Array> = {
    'pack.yaml': [
      'pack_id: studio.sample',
      'version: 1.2.3',
      'kind: Application',
      'publisher: Sample Publisher',
      'flows:',
      '  - id: main',
      '    file: flows/main.ygtc',
      '    tags: [default]',
      '    entrypoints: [default]',
      'assets:',
      '  - path: cards/welcome.json',
      '',
    ].join('\n'),
    'flows/main.ygtc': [
      'id: main',
      'type: messaging',
      'start: hello',
      'nodes:',
      '  hello:',
      '    emit.response:',
      '      messages:',
      '        - type: text',
      '          text: "Hello {{in.text}}"',
      '    routing: out',
      '',
    ].join('\n'),
    'flows/main.ygtc.layout.json': '{"nodes":{"hello":{"x":10,"y":20}}}',
    'flows/main.ygtc.pins.json': '{"hello":{"text":"pinned"}}',
    'flows/main.ygtc.breakpoints.json': '{"schema_version":1,"flow":"main.ygtc","breakpoints":{"hello":{}}}',
    'cards/welcome.json': '{"type":"AdaptiveCard","version":"1.5","body":[]}',
    'README.md': '# sample\n',
    '.greentic/studio.json': '{"pins":{}}',
    ...files,
  };
  for (const [relative, content] of Object.entries(defaults)) {
    const target = path.join(root, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return root;
}
