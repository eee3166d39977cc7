import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { badInput, databaseInputError, fromDatabaseError, maskError } from './errors.js';

const logger = pino({ level: 'silent' });

describe('maskError', () => {
  it('passes client errors through with their code', () => {
    const err = badInput('input.name: must not be empty', { field: 'input.name' });
    const out = maskError(err.toJSON(), err, { logger, exposeDetails: false });
    expect(out.message).toBe('input.name: must not be empty');
    expect(out.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
  });

  it('masks unexpected errors in production and keeps the message in development', () => {
    const err = new GraphQLError('connection to 10.0.0.5 refused', { originalError: new Error('boom') });
    expect(maskError(err.toJSON(), err, { logger, exposeDetails: false })).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(maskError(err.toJSON(), err, { logger, exposeDetails: true }).message).toContain('10.0.0.5');
  });

  it('logs an unexpected error once, where it happened, and not again when the gateway sees it', () => {
    const lines: unknown[] = [];
    const recording = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const err = new GraphQLError('relation "x" does not exist', { originalError: new Error('relation "x" does not exist') });
    const atSubgraph = maskError(err.toJSON(), err, { logger: recording, exposeDetails: false });
    expect(atSubgraph).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'unexpected error', err: { message: 'relation "x" does not exist' } });
    // The gateway's executor tags a subgraph's error with the subgraph's name.
    const downstream = { ...atSubgraph, extensions: { ...atSubgraph.extensions, serviceName: 'datasets' } };
    const atGateway = maskError(downstream, new GraphQLError(downstream.message, { extensions: downstream.extensions }), {
      logger: recording,
      exposeDetails: false,
    });
    expect(atGateway).toEqual(downstream);
    expect(lines).toHaveLength(1);
  });

  it('masks a code-less subgraph error without logging it again', () => {
    const lines: unknown[] = [];
    const recording = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
    const formatted = { message: 'secret detail', extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'insights' } };
    expect(maskError(formatted, new GraphQLError(formatted.message), { logger: recording, exposeDetails: false })).toEqual({
      message: 'Internal server error',
      locations: undefined,
      path: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'insights' },
    });
    expect(lines).toHaveLength(0);
  });

  it('reports a malformed operation as BAD_USER_INPUT with the reason', () => {
    const formatted = { message: 'Cannot query field "nope"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    expect(maskError(formatted, new GraphQLError(formatted.message), { logger, exposeDetails: false }).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'GRAPHQL_VALIDATION_FAILED',
    });
  });
});

describe('fromDatabaseError', () => {
  it('turns unique violations into CONFLICT', () => {
    expect(fromDatabaseError({ code: 'P2002' }, 'dataset "x"')).toMatchObject({ extensions: { code: 'CONFLICT' } });
    const other = new Error('other');
    expect(fromDatabaseError(other)).toBe(other);
  });
});

describe('databaseInputError', () => {
  const viaPrisma = (code: string) =>
    Object.assign(new Error('Invalid `prisma.$queryRaw()` invocation'), {
      code: 'P2010',
      meta: { driverAdapterError: { cause: { originalCode: code, originalMessage: 'x' } } },
    });

  it("makes what PostgreSQL refused of a client's input the client's error, from pg or through Prisma", () => {
    for (const err of [
      Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }),
      viaPrisma('22021'),
    ]) {
      expect(databaseInputError(err)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_TEXT' } });
    }
    const wide = databaseInputError(Object.assign(new Error('row is too big: size 12024, maximum size 8160'), { code: '54000' }));
    expect(wide?.message).toMatch(/^A row or value is larger than the database allows/);
    expect(wide?.message).not.toContain('12024'); // nothing of the database's own words (names, sizes) reaches the client
    expect(wide?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DATABASE_LIMIT' });
  });

  it('leaves every other error alone, and says so through maskError without logging it as unexpected', () => {
    expect(databaseInputError(Object.assign(new Error('deadlock'), { code: '40P01' }))).toBeNull();
    expect(databaseInputError(viaPrisma('23505'))).toBeNull();
    expect(databaseInputError(new Error('plain'))).toBeNull();
    const masked = maskError({ message: 'x' }, new GraphQLError('x', { originalError: viaPrisma('22021') }), {
      logger,
      exposeDetails: false,
    });
    expect(masked.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_TEXT' });
  });
});

describe('suggestions', () => {
  it('leaves out "Did you mean …?" when the schema is not for everyone to read', () => {
    const formatted = {
      message: 'Value "ADMN" does not exist in "Role" enum. Did you mean the enum value "ADMIN"?',
      extensions: { code: 'BAD_USER_INPUT' },
    };
    expect(maskError(formatted, new GraphQLError(formatted.message), { logger, exposeDetails: false, hideSuggestions: true }).message).toBe(
      'Value "ADMN" does not exist in "Role" enum.',
    );
    expect(maskError(formatted, new GraphQLError(formatted.message), { logger, exposeDetails: false }).message).toBe(formatted.message);
  });
});
