import { describe, expect, it } from 'vitest';
import { evalGmap, evalWithOverlay, formatGmapPath, parseGmap } from '../../../src/runtime/bundle/gmap';

describe('gmap access rules', () => {
  it('reads rules, skipping comments and blank lines, with their line numbers', () => {
    const { rules, errors } = parseGmap('# tenant rules\n\n_ = forbidden\nhelpdesk = public\nhelpdesk/_ = public\nhelpdesk/main/ask = forbidden\n');
    expect(errors).toEqual([]);
    expect(rules.map((rule) => [formatGmapPath(rule.path), rule.policy, rule.line])).toEqual([
      ['_', 'forbidden', 3],
      ['helpdesk', 'public', 4],
      ['helpdesk/_', 'public', 5],
      ['helpdesk/main/ask', 'forbidden', 6],
    ]);
  });

  it("names a bad line with upstream's messages", () => {
    const { rules, errors } = parseGmap('helpdesk\n= public\na/b/c/d = public\nx = maybe\n/ = public\n');
    expect(rules).toEqual([]);
    expect(errors.map((error) => error.message)).toEqual([
      'Invalid rule line 1: missing policy',
      'Invalid rule line 2: missing path',
      'Invalid path on line 3: too many segments',
      'Invalid policy on line 4: maybe',
      'Invalid path on line 5: empty path',
    ]);
  });

  it('lets the most specific rule win, and the later of two equally specific ones', () => {
    const { rules } = parseGmap('_ = public\nshop = forbidden\nshop/_ = public\nshop/checkout = public\nshop/checkout/pay = forbidden\nshop = public\n');
    expect(evalGmap(rules, { pack: 'other', flow: 'main' })).toBe('public');
    // `shop` (rank 3) beats `shop/_` (rank 2); the later `shop = public` beats the earlier `shop = forbidden`.
    expect(evalGmap(rules, { pack: 'shop', flow: 'browse' })).toBe('public');
    expect(evalGmap(parseGmap('shop = forbidden\nshop/_ = public\n').rules, { pack: 'shop', flow: 'browse' })).toBe('forbidden');
    expect(evalGmap(rules, { pack: 'shop', flow: 'checkout' })).toBe('public');
    expect(evalGmap(rules, { pack: 'shop', flow: 'checkout', node: 'pay' })).toBe('forbidden');
    expect(evalGmap([], { pack: 'shop' })).toBeNull();
  });

  it("puts a team's rules before its tenant's, and forbids what neither decides", () => {
    const tenant = parseGmap('_ = forbidden\nshop = public\n').rules;
    const team = parseGmap('shop/admin = forbidden\n').rules;
    expect(evalWithOverlay(tenant, team, { pack: 'shop', flow: 'browse' })).toBe('public');
    expect(evalWithOverlay(tenant, team, { pack: 'shop', flow: 'admin' })).toBe('forbidden');
    expect(evalWithOverlay([], [], { pack: 'shop', flow: 'browse' })).toBe('forbidden');
    // A team rule decides even when the tenant's is more specific.
    expect(evalWithOverlay(parseGmap('shop/browse = public').rules, parseGmap('_ = forbidden').rules, { pack: 'shop', flow: 'browse' })).toBe('forbidden');
  });
});
