import { describe, expect, it } from 'vitest';
import { IdleTable } from '../../../src/runtime/channels/webchat/idle-table';

function table(idleMs = 1000) {
  const clock = { now: 0 };
  return { clock, table: new IdleTable<string>(idleMs, () => clock.now) };
}

describe('a table whose entries end when idle', () => {
  it('sweeps entries unused for the idle time, and each use restarts it', () => {
    const { clock, table: t } = table();
    t.add('a', 'A');
    t.add('b', 'B');
    clock.now = 600;
    expect(t.use('a')).toBe('A');
    clock.now = 999;
    expect(t.sweep()).toEqual([]);
    clock.now = 1000;
    expect(t.sweep()).toEqual([['b', 'B']]);
    expect(t.use('b')).toBeUndefined();
    clock.now = 1600;
    expect(t.sweep()).toEqual([['a', 'A']]);
    expect(t.size).toBe(0);
  });

  it('never sweeps a held entry, and counts the idle time from the last release', () => {
    const { clock, table: t } = table();
    t.add('a', 'A');
    const first = t.hold('a');
    const second = t.hold('a');
    clock.now = 10_000;
    expect(t.sweep()).toEqual([]);
    first();
    first();
    clock.now = 20_000;
    expect(t.sweep()).toEqual([]);
    second();
    clock.now = 20_999;
    expect(t.sweep()).toEqual([]);
    clock.now = 21_000;
    expect(t.sweep()).toEqual([['a', 'A']]);
  });

  it('ignores holds of missing entries and refuses a non-positive idle time', () => {
    const { table: t } = table();
    expect(() => t.hold('nope')()).not.toThrow();
    expect(t.delete('nope')).toBe(false);
    expect(() => new IdleTable(0)).toThrow(/positive/);
    expect(() => new IdleTable(Number.NaN)).toThrow(/positive/);
  });
});
