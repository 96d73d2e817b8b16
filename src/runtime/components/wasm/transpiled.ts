import type { ComponentAbi } from './abi';

/**
 * A component transpiled by jco: the generated JS and core modules on disk, and what it imports. Apart
 * from the transpiler (transpile.ts) so that the worker, which only loads entries, never links jco.
 */
export interface TranspiledComponent {
  /** SHA-256 (hex) of the component bytes: the cache key. */
  hash: string;
  /** Folder holding `component.mjs` and the core modules. */
  dir: string;
  abi: ComponentAbi;
  /** Interfaces with functions the component imports, unversioned as jco names them. */
  imports: string[];
  /** Exported interface names, versioned. */
  exports: string[];
  /** File names of the core modules in `dir`. */
  coreModules: string[];
}

/** The generated JS, stored as .mjs so it loads as ESM whatever package scope the cache sits in. */
export const COMPONENT_JS = 'component.mjs';
