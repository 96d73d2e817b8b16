/** Media types as packc records them in the SBOM (§2.1 of the pack format). */
export function mediaTypeFor(path: string): string {
  if (path === 'manifest.cbor') return 'application/cbor';
  if (path.startsWith('components/')) {
    if (path.endsWith('.wasm')) return 'application/wasm';
    if (path.endsWith('.cbor')) return 'application/cbor';
  }
  if (path.startsWith('blobs/') && path.endsWith('.wasm')) return 'application/wasm';
  if (path.startsWith('flows/')) {
    if (path.endsWith('.ygtc')) return 'application/yaml';
    if (path.endsWith('.json')) return 'application/json';
  }
  return 'application/octet-stream';
}
