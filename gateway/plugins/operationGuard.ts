// What every operation passes before it is planned, over HTTP and WebSocket alike: the
// persisted-only mode, who may introspect, the operation limits, one sign-in per request and
// sign-in rate limits, and the caller's operation budget. One function, so that no transport
// (or future fast path) can skip a check.
import { Kind, type DocumentNode, type FieldNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { hasRole, type Identity } from '../../lib/auth/identity.js';
import type { Config } from '../../lib/config.js';
import { badInput, ErrorCode, forbidden, rateLimited, ReportGraphError } from '../../lib/errors.js';
import { withDefaults } from '../../lib/graphql/variables.js';
import type { RateLimiter } from '../../lib/rateLimit.js';
import { enforceLimits, measureOperation, type CostModel } from './operationLimits.js';

export interface GuardedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  identity: Identity | null;
  /** The client's address (behind TRUST_PROXY proxies, the one they name). */
  ip: string;
  /** The document came from the trusted list (a registered persisted operation or a manifest). */
  trusted: boolean;
}

export interface GuardOptions {
  config: Config;
  costModel: CostModel;
  rateLimiter: RateLimiter;
}

/** The fields a sign-in may ask for: enough to start a session, nothing else. */
const LOGIN_SELECTION: Record<string, Record<string, null> | null> = {
  token: null,
  expiresAt: null,
  __typename: null,
  user: { id: null, username: null, role: null, __typename: null },
};

/** True when `set` selects only what `allowed` lists, with no fragments or aliases. */
function selects(set: SelectionSetNode | undefined, allowed: Record<string, Record<string, null> | null>): boolean {
  return (set?.selections ?? []).every((s) => {
    if (s.kind !== Kind.FIELD || s.alias || !(s.name.value in allowed)) return false;
    const below = allowed[s.name.value];
    return below ? !!s.selectionSet && selects(s.selectionSet, below) : !s.selectionSet;
  });
}

const rootFields = (operation: OperationDefinitionNode) =>
  operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);

/** A plain sign-in: one `login` field, nothing else — what persisted-only mode still lets through. */
export function isPlainLogin(operation: OperationDefinitionNode): boolean {
  const [field, ...rest] = operation.selectionSet.selections;
  return (
    operation.operation === 'mutation' &&
    rest.length === 0 &&
    field?.kind === Kind.FIELD &&
    !field.alias &&
    field.name.value === 'login' &&
    selects(field.selectionSet, LOGIN_SELECTION)
  );
}

function introspects(set: SelectionSetNode | undefined, document: DocumentNode, seen = new Set<string>()): boolean {
  return (set?.selections ?? []).some((s) => {
    if (s.kind === Kind.FIELD)
      return s.name.value === '__schema' || s.name.value === '__type' || introspects(s.selectionSet, document, seen);
    if (s.kind === Kind.INLINE_FRAGMENT) return introspects(s.selectionSet, document, seen);
    if (seen.has(s.name.value)) return false;
    seen.add(s.name.value);
    const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
    return fragment?.kind === Kind.FRAGMENT_DEFINITION && introspects(fragment.selectionSet, document, seen);
  });
}

/** The budget key of a caller: its API key or user, else its address. */
const principalOf = (op: GuardedOperation) => (op.identity ? `${op.identity.kind}:${op.identity.id}` : `ip:${op.ip}`);

export function createOperationGuard({ config, costModel, rateLimiter }: GuardOptions) {
  const { persistedOperationsOnly: mode, rateLimits } = config;

  function checkPersistedOnly(op: GuardedOperation): void {
    if (mode === 'off' || op.trusted) return;
    if (mode === 'api-keys' && op.identity?.kind !== 'apiKey') return;
    // Signing in is always allowed, in its plain form: without it nobody could reach the list.
    if (isPlainLogin(op.operation)) return;
    throw new ReportGraphError(
      ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
      'Only persisted operations may run: send documentId (see persistedOperations)',
    );
  }

  function checkIntrospection(op: GuardedOperation): void {
    if (config.introspection === 'on' || !introspects(op.operation.selectionSet, op.document)) return;
    if (config.introspection === 'admins' && hasRole(op.identity, 'ADMIN')) return;
    throw forbidden(
      config.introspection === 'off' ? 'Introspection is turned off (INTROSPECTION)' : 'Introspection is for ADMINs (INTROSPECTION)',
    );
  }

  /** One sign-in per request, each counted per username and per address before any hashing. */
  async function checkLogins(op: GuardedOperation): Promise<void> {
    if (op.operation.operation !== 'mutation') return;
    const logins = rootFields(op.operation).filter((f) => f.name.value === 'login');
    if (logins.length === 0) return;
    if (logins.length > 1) throw badInput('One login per request');
    const arg = logins[0]!.arguments?.find((a) => a.name.value === 'username')?.value;
    const username = arg?.kind === Kind.STRING ? arg.value : arg?.kind === Kind.VARIABLE ? op.variables[arg.name.value] : undefined;
    const byIp = await rateLimiter.check(`login:ip:${op.ip}`, rateLimits.loginsPerIp);
    if (!byIp.allowed)
      throw rateLimited(
        'Too many sign-in attempts from this address; wait and try again',
        'RATE_LIMIT_LOGINS_PER_IP',
        byIp.retryAfterSeconds,
      );
    const byUser = await rateLimiter.check(`login:user:${String(username ?? '').toLowerCase()}`, rateLimits.loginsPerUsername);
    if (!byUser.allowed)
      throw rateLimited(
        'Too many sign-in attempts for this user; wait and try again',
        'RATE_LIMIT_LOGINS_PER_USERNAME',
        byUser.retryAfterSeconds,
      );
  }

  async function checkBudget(op: GuardedOperation): Promise<void> {
    const verdict = await rateLimiter.check(`ops:${principalOf(op)}`, rateLimits.operationsPerMinute);
    if (!verdict.allowed)
      throw rateLimited('Too many operations; wait and try again', 'RATE_LIMIT_OPERATIONS_PER_MINUTE', verdict.retryAfterSeconds);
  }

  /** Throws the coded error of the first check the operation fails. */
  return async function guard(sent: GuardedOperation): Promise<void> {
    // Judged with the variables it runs with: what was sent, and each definition's default for the
    // rest (a limit or a username left to `$n: Int = 1000` counts as 1000).
    const op = { ...sent, variables: withDefaults(sent.operation, sent.variables) };
    checkPersistedOnly(op);
    checkIntrospection(op);
    enforceLimits(measureOperation(op.schema, op.document, op.operation, op.variables, costModel), config.limits);
    await checkLogins(op);
    await checkBudget(op);
  };
}

export type OperationGuard = ReturnType<typeof createOperationGuard>;
