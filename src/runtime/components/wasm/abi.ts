import { WasmComponentError } from './errors';

/** The component ABIs the runner speaks (components.md §1). */
export type ComponentAbi = '0.6' | '0.5' | '0.4';

const NODE_EXPORTS: Record<ComponentAbi, string> = {
  '0.6': 'greentic:component/node@0.6.0',
  '0.5': 'greentic:component/node@0.5.0',
  '0.4': 'greentic:component/node@0.4.0',
};

/** The name of the node interface as jco exposes it on the instantiated root. */
export function nodeExportName(abi: ComponentAbi): string {
  return NODE_EXPORTS[abi];
}

/**
 * The interface whose `describe: func() -> list<u8>` returns the component's ComponentDescribe as CBOR
 * (greentic-component's template world), under the names greentic-pack looks for it.
 */
const DESCRIPTOR_EXPORTS = ['greentic:component/component-descriptor@0.6.0', 'greentic:component/component-descriptor', 'component-descriptor'];

/** The name under which the component exports its descriptor interface, if it does. */
export function descriptorExportName(exportNames: readonly string[]): string | null {
  return DESCRIPTOR_EXPORTS.find((name) => exportNames.includes(name)) ?? null;
}

/**
 * Detects the ABI from the exported interface names, never from the world name (packc-built
 * components use a `root` world). Refuses anything else with upstream's wording.
 */
export function detectAbi(exportNames: readonly string[]): ComponentAbi {
  for (const abi of ['0.6', '0.5', '0.4'] as const) {
    if (exportNames.includes(NODE_EXPORTS[abi])) return abi;
  }
  const exported = exportNames.filter((name) => name.includes(':')).join(', ') || 'nothing';
  throw new WasmComponentError(
    'unsupported_world',
    `component exports neither node@0.5/0.4 nor component-runtime@0.6 (it exports ${exported})`,
  );
}
