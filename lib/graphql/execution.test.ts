import { GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { COMPILE_AFTER, createOperationRunner } from './execution.js';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      hello: {
        type: GraphQLString,
        args: { name: { type: new GraphQLNonNull(GraphQLString) } },
        resolve: (_, { name }: { name: string }) => `hello ${name}`,
      },
    },
  }),
});

describe('operation runner', () => {
  it('answers the same, interpreted and compiled, with variables sent or left to their defaults', async () => {
    const runner = createOperationRunner(schema);
    const document = parse('query Greet($n: String! = "you") { hello(name: $n) }');
    const answers = [];
    for (let i = 0; i < COMPILE_AFTER + 2; i++) {
      answers.push(await runner.run(document, {}, undefined, 'Greet'));
      answers.push(await runner.run(document, {}, { n: 'me' }, 'Greet'));
    }
    expect(runner.isCompiled(document, 'Greet')).toBe(true);
    for (let i = 0; i < answers.length; i += 2) {
      expect(answers[i]).toEqual({ data: { hello: 'hello you' } });
      expect(answers[i + 1]).toEqual({ data: { hello: 'hello me' } });
    }
  });
});
