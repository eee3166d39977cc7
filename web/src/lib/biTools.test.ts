import { describe, expect, it } from 'vitest';
import { curlCommand, persistedUrl, variablePlaceholders } from './biTools.js';

describe('what a BI tool is given', () => {
  it('a GET URL by id with the variables as JSON, and a curl line asking for CSV', () => {
    const id = 'a'.repeat(64);
    expect(persistedUrl('http://h:4000', id, { id: 'x' })).toBe(
      `http://h:4000/graphql?documentId=${id}&variables=%7B%22id%22%3A%22x%22%7D`,
    );
    expect(curlCommand('http://h:4000', id)).toBe(
      `curl -H "X-API-Key: $REPORTGRAPH_API_KEY" -H 'Accept: text/csv' 'http://h:4000/graphql?documentId=${id}'`,
    );
  });

  it('a placeholder per declared variable', () => {
    expect(variablePlaceholders('query R($id: ID!, $n: Int, $tags: [String!]) { x }')).toEqual({ id: '<ID>', n: 0, tags: '<String>' });
    expect(variablePlaceholders('{ datasets { id } }')).toEqual({});
  });
});
