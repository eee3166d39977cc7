import { describe, expect, it } from 'vitest';
import { isOwnPath, matchRoute } from './router.js';

describe('matchRoute', () => {
  it('matches whole segments and decodes parameters', () => {
    expect(matchRoute('/models/:name', '/models/forecast%20ar?x=1')).toEqual({ name: 'forecast ar' });
    expect(matchRoute('/datasets', '/datasets')).toEqual({});
    expect(matchRoute('/datasets/:id', '/datasets')).toBeNull();
    expect(matchRoute('/datasets/:id', '/datasets/1/2')).toBeNull();
    expect(matchRoute('/reports/:id', '/datasets/1')).toBeNull();
  });
});

describe('isOwnPath', () => {
  const origin = 'https://reports.example.com';
  it("takes this app's paths and refuses what a browser reads as another site", () => {
    expect(isOwnPath('/reports/7?region=North', origin)).toBe(true);
    for (const next of ['//evil.example', '/\\evil.example', '/\\/evil.example', 'https://evil.example/', 'javascript:alert(1)', ''])
      expect(isOwnPath(next, origin), next).toBe(false);
  });
});
