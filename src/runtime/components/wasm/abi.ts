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
