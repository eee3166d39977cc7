// The variables an operation runs with: those sent, and each definition's default for the others
// (graphql-js fills defaults in as it executes; what judges or compiles an operation must too).
import { valueFromASTUntyped, type OperationDefinitionNode } from 'graphql';

export function withDefaults(
  operation: OperationDefinitionNode | null | undefined,
  variables: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const sent = variables ?? {};
  const defaults = (operation?.variableDefinitions ?? []).filter((d) => d.defaultValue && sent[d.variable.name.value] === undefined);
  if (!defaults.length) return sent;
  const filled = { ...sent };
  for (const d of defaults) filled[d.variable.name.value] = valueFromASTUntyped(d.defaultValue!);
  return filled;
}
