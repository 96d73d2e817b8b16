/** A component implemented natively in the studio, behind the same host interface as WASM ones. */
import type { ComponentDescription, ComponentInvocation, ComponentOutcome } from '../host';

export interface BuiltinComponent {
  /** Every id a flow may use for this component (`templating`, `ai.greentic.component-templates`, ...). */
  ids: readonly string[];
  /** Operations it answers; `*` accepts any operation name (components with a single behaviour). */
  operations: readonly string[] | '*';
  describe: ComponentDescription;
  run(invocation: ComponentInvocation): Promise<ComponentOutcome> | ComponentOutcome;
}
