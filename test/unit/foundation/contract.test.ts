import { describe, expect, it } from 'vitest';
import { STUDIO_EVENTS, STUDIO_METHODS, studioApi } from '../../../src/shared/api';

describe('the UI <-> back-end contract', () => {
  it('has the reviewed set of methods and events', () => {
    // A change to the surface shows up here; update the snapshot on purpose (vitest -u) in the same change.
    expect({ methods: STUDIO_METHODS, events: [...STUDIO_EVENTS].sort() }).toMatchSnapshot();
  });

  it('declares a params schema for every method', () => {
    for (const method of STUDIO_METHODS) expect(typeof studioApi[method].params.safeParse).toBe('function');
  });
});
