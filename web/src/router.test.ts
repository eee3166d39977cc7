import { describe, expect, it } from 'vitest';
import { matchRoute } from './router.js';

describe('matchRoute', () => {
  it('matches whole segments and decodes parameters', () => {
    expect(matchRoute('/models/:name', '/models/forecast%20ar?x=1')).toEqual({ name: 'forecast ar' });
    expect(matchRoute('/datasets', '/datasets')).toEqual({});
    expect(matchRoute('/datasets/:id', '/datasets')).toBeNull();
    expect(matchRoute('/datasets/:id', '/datasets/1/2')).toBeNull();
    expect(matchRoute('/reports/:id', '/datasets/1')).toBeNull();
  });
});
