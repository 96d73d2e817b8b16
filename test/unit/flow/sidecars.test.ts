import { describe, expect, it } from 'vitest';
import {
  deleteFromLayout,
  deleteFromResolveSidecar,
  emptyLayout,
  layoutPathFor,
  normalizeResolveSidecar,
  parseLayout,
  pruneLayout,
  renameInLayout,
  renameInResolveSidecar,
  serializeLayout,
  setNodePosition,
} from '../../../src/shared/flow';

describe('layout sidecar', () => {
  it('lives beside the flow and round-trips through its text', () => {
    expect(layoutPathFor('flows/main.ygtc')).toBe('flows/main.ygtc.layout.json');
    const layout = setNodePosition(setNodePosition(emptyLayout(), 'a', { x: 10, y: 20 }), 'b', { x: -5, y: 0.5 });
    const parsed = parseLayout(serializeLayout(layout));
    expect(parsed).toEqual({ ok: true, layout: { version: 1, nodes: { a: { x: 10, y: 20 }, b: { x: -5, y: 0.5 } } } });
  });

  it('follows renames and deletes, and drops nodes the flow no longer has', () => {
    const layout = { version: 1 as const, nodes: { a: { x: 1, y: 1 }, b: { x: 2, y: 2 } } };
    expect(Object.keys(renameInLayout(layout, 'a', 'z').nodes)).toEqual(['z', 'b']);
    expect(deleteFromLayout(layout, 'a').nodes).toEqual({ b: { x: 2, y: 2 } });
    expect(pruneLayout(layout, ['b']).nodes).toEqual({ b: { x: 2, y: 2 } });
    expect(pruneLayout(layout, ['a', 'b'])).toBe(layout);
  });

  it('gives a clear message for bad layout files', () => {
    expect(parseLayout('{')).toMatchObject({ ok: false });
    expect(parseLayout('{"version": 2, "nodes": {}}')).toMatchObject({ ok: false, message: expect.stringContaining('version') });
    expect(parseLayout('{"version": 1, "nodes": {"a": {"x": "1", "y": 0}}}')).toMatchObject({ ok: false, message: expect.stringContaining('nodes.a.x') });
  });
});

describe('resolve sidecar updates', () => {
  const sidecar = JSON.stringify({ schema_version: 1, flow: 'old.ygtc.resolve.json', nodes: { a: { source: { kind: 'repo', ref: 'repo://a' } }, b: { source: { kind: 'repo', ref: 'repo://b' } } } });

  it('renames and deletes node entries, keeping their order', () => {
    expect(Object.keys(JSON.parse(renameInResolveSidecar(sidecar, 'a', 'z')).nodes)).toEqual(['z', 'b']);
    expect(Object.keys(JSON.parse(deleteFromResolveSidecar(sidecar, 'a')).nodes)).toEqual(['b']);
  });

  it('rewrites a stale flow name to the flow file name', () => {
    expect(JSON.parse(normalizeResolveSidecar(sidecar, 'main.ygtc')).flow).toBe('main.ygtc');
  });

  it('leaves text it cannot read untouched', () => {
    expect(renameInResolveSidecar('not json', 'a', 'b')).toBe('not json');
  });
});
