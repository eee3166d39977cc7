// Operation limits, checked before an operation is planned: document size and tokens (at parse),
// then depth, aliases, root fields and a cost budget on the parsed operation. Costs follow the
// demand-control directives the subgraphs declare (`@cost(weight:)`, `@listSize(...)`, composed
// into the supergraph), as Apollo Router's static cost estimation reads them: an object costs 1
// (a mutation's root field 10) unless weighted, a leaf costs nothing unless weighted, and a list
// multiplies its elements by its slicing argument (`limit`), else its assumed size, else 10.
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isUnionType,
  Kind,
  parse,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Config } from '../../lib/config.js';
import { tooComplex } from '../../lib/errors.js';
import { MAX_PAGE_SIZE } from '../../lib/graphql/pagination.js';

const DEFAULT_LIST_SIZE = 10;
const MUTATION_FIELD_COST = 10;

interface FieldCost {
  weight?: number;
  slicingArguments?: string[];
  assumedSize?: number;
}

/** `Type.field` → its declared cost directives, read from the supergraph's SDL. */
export type CostModel = Map<string, FieldCost>;

export function costModelOf(supergraphSdl: string): CostModel {
  const model: CostModel = new Map();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const cost: FieldCost = {};
      for (const directive of field.directives ?? []) {
        const args = Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
        if (directive.name.value === 'cost') cost.weight = Number(args.weight);
        if (directive.name.value === 'listSize') {
          if (Array.isArray(args.slicingArguments)) cost.slicingArguments = args.slicingArguments as string[];
          if (typeof args.assumedSize === 'number') cost.assumedSize = args.assumedSize;
        }
      }
      if (Object.keys(cost).length) model.set(`${definition.name.value}.${field.name.value}`, cost);
    }
  }
  return model;
}

export interface OperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
  cost: number;
}

/**
 * Measures an operation of a valid document. Fragments are measured once per type they are spread
 * on (memoised), so a document cannot make this walk explode; introspection fields are not counted
 * (they are governed by INTROSPECTION).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  model: CostModel,
): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, { cost: number; depth: number; fields: number }>();
  const isMutation = operation.operation === 'mutation';

  const listSize = (field: FieldNode, parent: GraphQLCompositeType, def: GraphQLField<unknown, unknown>): number => {
    const declared = model.get(`${parent.name}.${field.name.value}`);
    for (const name of declared?.slicingArguments ?? ['limit']) {
      const arg = field.arguments?.find((a) => a.name.value === name);
      const value = arg ? valueFromASTUntyped(arg.value, variables) : def.args.find((a) => a.name === name)?.defaultValue;
      // Lists never return more than a page (the resolvers refuse a larger `limit` by name).
      if (typeof value === 'number' && Number.isFinite(value)) return Math.min(Math.max(0, value), MAX_PAGE_SIZE);
    }
    return declared?.assumedSize ?? DEFAULT_LIST_SIZE;
  };

  /** cost, depth below, and number of fields directly in the set (root fields at the top). */
  const walk = (set: SelectionSetNode, type: GraphQLCompositeType, atRoot: boolean): { cost: number; depth: number; fields: number } => {
    let cost = 0;
    let depth = 0;
    let fields = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        fields++;
        const def = isUnionType(type) ? undefined : type.getFields()[name];
        if (!def) continue;
        const declared = model.get(`${type.name}.${name}`);
        const named = getNamedType(def.type);
        const below = selection.selectionSet && isCompositeType(named) ? walk(selection.selectionSet, named, false) : { cost: 0, depth: 0 };
        const own = declared?.weight ?? (atRoot && isMutation ? MUTATION_FIELD_COST : isCompositeType(named) ? 1 : 0);
        const many = isListType(getNullableType(def.type)) && isCompositeType(named) ? listSize(selection, type, def) : 1;
        cost += many * (own + below.cost);
        depth = Math.max(depth, 1 + below.depth);
      } else {
        let fragment: { selectionSet: SelectionSetNode; on: string | undefined; key: string | null };
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          fragment = { selectionSet: selection.selectionSet, on: selection.typeCondition?.name.value, key: null };
        } else {
          const definition = fragments.get(selection.name.value);
          if (!definition) continue;
          fragment = {
            selectionSet: definition.selectionSet,
            on: definition.typeCondition.name.value,
            key: `${definition.name.value}:${type.name}`,
          };
        }
        const on = (fragment.on ? schema.getType(fragment.on) : type) as GraphQLCompositeType | undefined;
        if (!on || !isCompositeType(on)) continue;
        let measured = fragment.key ? memo.get(fragment.key) : undefined;
        if (!measured) {
          measured = walk(fragment.selectionSet, on, atRoot);
          if (fragment.key) memo.set(fragment.key, measured);
        }
        cost += measured.cost;
        depth = Math.max(depth, measured.depth);
        fields += measured.fields;
      }
    }
    return { cost, depth, fields };
  };

  const root = schema.getRootType(operation.operation);
  const measured = root ? walk(operation.selectionSet, root, true) : { cost: 0, depth: 0, fields: 0 };
  return { depth: measured.depth, aliases: countAliases(document), rootFields: measured.fields, cost: measured.cost };
}

/** Aliased fields anywhere in the document, as written. */
function countAliases(document: DocumentNode): number {
  let count = 0;
  const visit = (set: SelectionSetNode | undefined) => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD && s.alias) count++;
      if (s.kind !== Kind.FRAGMENT_SPREAD) visit(s.selectionSet);
    }
  };
  for (const d of document.definitions)
    if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) visit(d.selectionSet);
  return count;
}

/** Each measure, the setting that bounds it, and how an operation over it is described. */
const CHECKS: Array<{ measure: keyof OperationShape; limit: keyof Config['limits']; setting: string; says: (n: number) => string }> = [
  { measure: 'depth', limit: 'maxDepth', setting: 'QUERY_MAX_DEPTH', says: (n) => `The operation is ${n} fields deep` },
  { measure: 'aliases', limit: 'maxAliases', setting: 'QUERY_MAX_ALIASES', says: (n) => `The operation has ${n} aliases` },
  { measure: 'rootFields', limit: 'maxRootFields', setting: 'QUERY_MAX_ROOT_FIELDS', says: (n) => `The operation has ${n} root fields` },
  { measure: 'cost', limit: 'maxCost', setting: 'QUERY_MAX_COST', says: (n) => `The operation's estimated cost is ${n}` },
];

/** Throws QUERY_TOO_COMPLEX naming the first limit the operation is over. */
export function enforceLimits(shape: OperationShape, limits: Config['limits']): void {
  for (const check of CHECKS) {
    const actual = shape[check.measure];
    const max = limits[check.limit];
    if (actual > max) throw tooComplex(`${check.says(actual)}; the limit is ${max}`, check.setting, max, actual);
  }
}

/** The document size limit, checked on the raw text before anything parses it. */
export function enforceDocumentSize(query: unknown, limits: Config['limits']): void {
  if (typeof query === 'string' && Buffer.byteLength(query) > limits.maxBytes) {
    throw tooComplex(
      `The document is ${Buffer.byteLength(query)} bytes; the limit is ${limits.maxBytes}`,
      'QUERY_MAX_BYTES',
      limits.maxBytes,
      Buffer.byteLength(query),
    );
  }
}

/** graphql-js's message when parsing stops at `maxTokens`. */
export const TOO_MANY_TOKENS = /Document contains more (?:than|that) \d+ tokens/;
