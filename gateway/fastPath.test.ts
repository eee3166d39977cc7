import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.js';
import { createOperationDocuments } from './fastPath.js';

describe('operation documents', () => {
  it('remembers the operations a document has, and no name a client makes up', () => {
    const documents = createOperationDocuments(buildSchema('type Query { a: Int }'), loadConfig({}));
    const prepared = documents.prepare('query A { a } query B { a }')!;
    expect(documents.operationOf(prepared, 'A')?.name?.value).toBe('A');
    for (let i = 0; i < 100; i++) expect(documents.operationOf(prepared, `made-up-${i}-${'x'.repeat(1000)}`)).toBeNull();
    expect([...prepared.operations.keys()]).toEqual(['A']);
    expect(prepared.plans.size).toBe(1);
    expect(documents.operationOf(prepared, undefined)).toBeNull(); // two operations and no name: none
  });
});
