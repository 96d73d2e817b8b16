import { decodeCbor } from '../cbor/decode';
import { encodeCanonicalCbor } from '../cbor/encode';
import { compareBytewise, isCborMap, type CborValue } from '../cbor/value';

/** `PackLockV1` (greentic-pack `pack_lock.rs`): what `pack resolve` pins per component. */
export interface LockedOperation {
  operation_id: string;
  schema_hash: string;
}

export interface LockedComponent {
  component_id: string;
  ref?: string;
  abi_version: string;
  resolved_digest: string;
  describe_hash: string;
  operations: LockedOperation[];
  world?: string;
  component_version?: string;
  role?: string;
}

export interface PackLockV1 {
  version: 1;
  components: Record<string, LockedComponent>;
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** Upstream's `validate_pack_lock`, with its messages. */
export function validatePackLock(lock: PackLockV1): string | null {
  if (lock.version !== 1) return 'pack.lock version must be 1';
  for (const [key, component] of Object.entries(lock.components)) {
    if (!key.trim()) return 'pack.lock component key must not be empty';
    if (!component.component_id?.trim()) return 'pack.lock component_id must not be empty';
    if (key !== component.component_id) return `pack.lock component key ${key} does not match component_id ${component.component_id}`;
    if (component.ref !== undefined && !component.ref.trim()) return 'pack.lock component ref must not be empty when set';
    if (!component.abi_version?.trim()) return 'pack.lock abi_version must not be empty';
    if (!component.resolved_digest?.startsWith('sha256:') || component.resolved_digest.length <= 7) {
      return `pack.lock component resolved_digest for ${component.component_id} must start with sha256:<hex>`;
    }
    if (!HEX64.test(component.describe_hash ?? '')) return `pack.lock component describe_hash for ${component.component_id} must be 64 hex chars`;
    if (!Array.isArray(component.operations)) return `pack.lock component ${component.component_id} operations must be a list`;
    for (const op of component.operations) {
      if (!op.operation_id?.trim()) return `pack.lock component ${component.component_id} operation_id must not be empty`;
      if (!HEX64.test(op.schema_hash ?? '')) return `pack.lock component ${component.component_id} schema_hash must be 64 hex chars`;
    }
  }
  return null;
}

export function decodePackLock(bytes: Uint8Array): PackLockV1 {
  let value: unknown;
  try {
    value = toPlain(decodeCbor(bytes));
  } catch (error) {
    throw new Error(`failed to decode pack.lock.cbor: ${(error as Error).message}`);
  }
  const lock = value as PackLockV1;
  if (typeof lock !== 'object' || lock === null || typeof lock.components !== 'object' || lock.components === null) {
    throw new Error('failed to decode pack.lock.cbor: not a PackLockV1 document');
  }
  const problem = validatePackLock(lock);
  if (problem) throw new Error(problem);
  return lock;
}

/** Canonical CBOR (length-first key order), operations sorted by id (bytewise, as Rust strings), optional fields omitted when unset. */
export function encodePackLock(lock: PackLockV1): Uint8Array {
  return encodeCanonicalCbor(normalize(lock) as unknown as CborValue);
}

/** The lock as `greentic-pack inspect-lock` prints it: sorted keys, two-space indent. */
export function packLockJson(lock: PackLockV1): string {
  return `${JSON.stringify(sortKeys(normalize(lock)), null, 2)}\n`;
}

function normalize(lock: PackLockV1): PackLockV1 {
  const problem = validatePackLock(lock);
  if (problem) throw new Error(problem);
  const components: Record<string, LockedComponent> = {};
  for (const [key, c] of Object.entries(lock.components)) {
    components[key] = {
      component_id: c.component_id,
      ...(c.ref !== undefined ? { ref: c.ref } : {}),
      abi_version: c.abi_version,
      resolved_digest: c.resolved_digest,
      describe_hash: c.describe_hash,
      operations: [...c.operations].sort((a, b) => compareBytewise(a.operation_id, b.operation_id)).map((op) => ({ operation_id: op.operation_id, schema_hash: op.schema_hash })),
      ...(c.world !== undefined ? { world: c.world } : {}),
      ...(c.component_version !== undefined ? { component_version: c.component_version } : {}),
      ...(c.role !== undefined ? { role: c.role } : {}),
    };
  }
  return { version: 1, components };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}

function toPlain(value: CborValue): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (isCborMap(value)) return Object.fromEntries([...value].map(([key, item]) => [key, toPlain(item)]));
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
  }
  return value;
}
