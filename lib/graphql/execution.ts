// Running a subgraph's operations: interpreted by graphql-js at first, compiled to JavaScript
// (graphql-jit) once the same document has run COMPILE_AFTER times. Documents recur as the same
// objects — the gateway's planner caches its plans; a subgraph server keeps the documents it parsed
// per text — so the compiled query is kept with the document. Compiling costs far more than one
// execution: a caller sending a new document every time cannot make the process compile for it.
// Both the single-host gateway (in-process subgraphs) and a subgraph server run operations here.
import {
  execute,
  getOperationAST,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { withDefaults } from './variables.js';

/** Runs of a document before it is compiled. */
export const COMPILE_AFTER = 3;

export interface OperationRunner {
  run(
    document: DocumentNode,
    contextValue: unknown,
    variables: Record<string, unknown> | undefined,
    operationName?: string,
  ): Promise<ExecutionResult>;
  /** Whether the document's operation runs compiled now (for tests). */
  isCompiled(document: DocumentNode, operationName?: string): boolean;
}

export function createOperationRunner(schema: GraphQLSchema): OperationRunner {
  type Compiled = { query: CompiledQuery; operation: OperationDefinitionNode | null | undefined };
  const compiled = new WeakMap<DocumentNode, Map<string, { runs: number; query: Compiled | null }>>();

  function compiledOf(document: DocumentNode, operationName: string | undefined): Compiled | null {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    let entry = byName.get(operationName ?? '');
    if (!entry) byName.set(operationName ?? '', (entry = { runs: 0, query: null }));
    if (++entry.runs === COMPILE_AFTER) {
      const made = compileQuery(schema, document, operationName);
      // graphql-jit refuses a missing non-null variable even when its definition has a default
      // (`$u: String! = "x"`), which graphql-js uses: defaults are filled in before it sees them.
      if (isCompiledQuery(made)) entry.query = { query: made, operation: getOperationAST(document, operationName) };
    }
    return entry.query;
  }

  return {
    async run(document, contextValue, variables, operationName) {
      const compiledQuery = compiledOf(document, operationName);
      return compiledQuery
        ? await compiledQuery.query.query(undefined, contextValue, withDefaults(compiledQuery.operation, variables))
        : await execute({ schema, document, contextValue, variableValues: variables, operationName });
    },
    isCompiled: (document, operationName) => !!compiled.get(document)?.get(operationName ?? '')?.query,
  };
}
