import { z } from 'zod';
import type { ComponentEntry } from './project';
import { method } from './define';

export interface RegistryComponentAdded {
  component: ComponentEntry;
  /** The manifest digest the component is pinned by in pack.lock.cbor. */
  digest: string;
  /** The reference pinned to that digest. */
  pinned: string;
}

export interface PackPublished {
  digest: string;
  pinned: string;
}

const reference = z.string().min(8).max(2048).regex(/^oci:\/\//, 'an oci:// reference');
const credentials = {
  username: z.string().min(1).max(256).optional(),
  /** A password or a personal access token; it is used for this call only and never stored. */
  password: z.string().max(4096).optional(),
};

export const registryMethods = {
  /**
   * Pull a component from an OCI registry into the cache, add its reference to pack.yaml's
   * `extensions.greentic.components` refs and pin it in the lock; progress events use task `registry.pull`.
   * Errors carry `details.reason`: unreachable, unauthorized, not_found, digest_mismatch, not_a_component, ...
   */
  addRegistryComponent: method<RegistryComponentAdded>()(z.object({ ref: reference, ...credentials }).strict()),
  /** Push a built `.gtpack` to an OCI registry as one layer; progress events use task `registry.push`. */
  publishPack: method<PackPublished>()(z.object({ path: z.string().min(1).max(4096), ref: reference, ...credentials }).strict()),
};
