/**
 * jco is large and ESM-only: it is loaded the first time a component has to be transpiled (a cached
 * component never loads it), and tooling that builds components shares the same import.
 */
import type * as JcoApi from '@bytecodealliance/jco';

let jco: Promise<typeof JcoApi> | null = null;

export function loadJco(): Promise<typeof JcoApi> {
  jco ??= import('@bytecodealliance/jco');
  return jco;
}
