import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../../../src/runtime/pack/cbor/decode';
import { encodeCanonicalCbor, encodeCbor } from '../../../src/runtime/pack/cbor/encode';
import { CborFloat, type CborMap, type CborValue } from '../../../src/runtime/pack/cbor/value';
import { describeCacheContract, describeContract, DescribeError } from '../../../src/runtime/pack/registry/component-describe';
import { decodePackLock } from '../../../src/runtime/pack/registry/lock';
import { conformancePath, hasConformance } from '../../support/conformance';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A ComponentDescribe as greentic-types writes it: every field present, defaults spelled out. */
function fullDescribe(): Record<string, CborValue> {
  return {
    info: { id: 'test.widget', version: '1.2.0', role: 'tool', display_name: { key: 'widget.name', fallback: null } },
    provided_capabilities: [],
    required_capabilities: ['host:state:read'],
    metadata: { ratio: new CborFloat(2), tags: ['a'] },
    operations: [
      {
        id: 'zeta',
        display_name: null,
        input: { schema: { type: 'float', min: new CborFloat(1), max: null } },
        output: { schema: { type: 'object', properties: {}, required: [], additional: { type: 'allow' } } },
        defaults: {},
        redactions: [],
        constraints: {},
        schema_hash: 'stale',
      },
      {
        id: 'alpha',
        display_name: null,
        input: { schema: { type: 'string', min_len: 1, max_len: null, regex: null, format: null } },
        output: { schema: { type: 'array', items: { type: 'int', min: -3, max: null }, min_items: null, max_items: 4 } },
        defaults: { level: 1 },
        redactions: [{ json_pointer: '/token', kind: 'secret' }],
        constraints: {},
        schema_hash: 'stale',
      },
    ],
    config_schema: { type: 'object', properties: { mode: { type: 'enum', values: ['a', 'b'] } }, required: ['mode'], additional: { type: 'forbid' } },
  };
}

describe('describe hash: the typed ComponentDescribe, re-encoded as canonical CBOR', () => {
  it('hashes the canonical bytes, and recomputes each schema hash from input, output and config, sorted by id', () => {
    const value = fullDescribe();
    const contract = describeContract(encodeCbor(value));
    expect(contract.describeHash).toBe(sha256(encodeCanonicalCbor(value)));
    expect(contract).toMatchObject({ id: 'test.widget', version: '1.2.0', role: 'tool' });
    const ops = value.operations as Array<Record<string, Record<string, CborValue>>>;
    const schemaHash = (op: Record<string, Record<string, CborValue>>) =>
      sha256(encodeCanonicalCbor({ input: op.input!.schema!, output: op.output!.schema!, config: value.config_schema! }));
    expect(contract.operations).toEqual([
      { operation_id: 'alpha', schema_hash: schemaHash(ops[1]!) },
      { operation_id: 'zeta', schema_hash: schemaHash(ops[0]!) },
    ]);
  });

  it('reads the data as serde does: key order, unknown fields, absent defaults and integers in float fields change nothing', () => {
    const expected = describeContract(encodeCbor(fullDescribe()));
    const loose = fullDescribe();
    const [zeta, alpha] = loose.operations as Array<Record<string, CborValue>>;
    // A field greentic-types 0.4 does not know (1.1 adds `outcomes`), defaulted fields left out, Options absent.
    loose.outcomes = ['on_success'];
    delete zeta!.defaults;
    delete zeta!.redactions;
    delete zeta!.constraints;
    delete zeta!.display_name;
    zeta!.input = { schema: { type: 'float', min: 1, extra: true } };
    zeta!.output = { schema: { type: 'object' } };
    alpha!.redactions = [{ kind: { secret: null }, json_pointer: '/token' }];
    const reversed = new Map(Object.entries(loose).reverse());
    const contract = describeContract(encodeCbor(reversed));
    expect(contract).toEqual(expected);
  });

  it('keeps a float a float, where a plain integer would change the hash', () => {
    const asInteger = fullDescribe();
    (asInteger.metadata as Record<string, CborValue>).ratio = 2;
    expect(describeContract(encodeCbor(asInteger)).describeHash).not.toBe(describeContract(encodeCbor(fullDescribe())).describeHash);
  });

  it('refuses what is not a ComponentDescribe, naming the field', () => {
    const missing = fullDescribe();
    delete (missing.info as Record<string, CborValue>).role;
    expect(() => describeContract(encodeCbor(missing))).toThrow(new DescribeError('missing field `role` in describe.info'));
    const unknown = fullDescribe();
    unknown.config_schema = { type: 'tuple' };
    expect(() => describeContract(encodeCbor(unknown))).toThrow(/unknown variant `tuple` at describe.config_schema.type/);
    const wrong = fullDescribe();
    wrong.provided_capabilities = [1];
    expect(() => describeContract(encodeCbor(wrong))).toThrow(/invalid type at describe.provided_capabilities\[0\]: expected a string/);
    expect(() => describeContract(new Uint8Array([0xa1]))).toThrow(DescribeError);
  });

  it('takes a .describe.cbor cache only when it is canonical and holds no floats', () => {
    const value = fullDescribe();
    expect(() => describeCacheContract(encodeCbor(value))).toThrow(/describe cache must be canonical: CBOR floats are not allowed/);
    (value.metadata as Record<string, CborValue>).ratio = 2;
    (value.operations as Array<Record<string, CborValue>>)[0]!.input = { schema: { type: 'bool' } };
    expect(() => describeCacheContract(encodeCbor(value))).toThrow(/describe cache must be canonical: CBOR payload is not canonical/);
    expect(describeCacheContract(encodeCanonicalCbor(value)).describeHash).toBe(sha256(encodeCanonicalCbor(value)));
  });
});

describe.skipIf(!hasConformance)('describe hash: against a lock greentic-pack wrote', () => {
  const source = (file: string) => new Uint8Array(readFileSync(conformancePath(`packs/sources/valid-minimal/${file}`)));

  it('gives valid-minimal\'s describe hash and schema hash from a loosely written copy of its describe data', () => {
    const upstream = decodePackLock(source('pack.lock.cbor')).components['dev.local.component']!;
    const describe = decodeCbor(source('components/fixture.wasm.describe.cbor')) as CborMap;
    const operation = (describe.get('operations') as CborMap[])[0]!;
    operation.delete('defaults');
    operation.delete('constraints');
    const loose = new Map([...describe].reverse());
    const contract = describeContract(encodeCbor(loose));
    expect(contract.describeHash).toBe(upstream.describe_hash);
    expect(contract.operations).toEqual(upstream.operations);
    expect(contract.role).toBe(upstream.role);
  });
});
