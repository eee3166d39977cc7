import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { badInput, fromDatabaseError, maskError } from './errors.js';

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
