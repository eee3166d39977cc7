// A report's parameters in its address (`/reports/42?region=North&from=2024-01-01`), so a link
// opens the report as it was shown: each parameter by name, its value as text; a name left out
// takes the template's default, a name given empty (`region=`) means no value.
import type { ParameterType } from '../__generated__/graphql.js';

export type ReportParams = Record<string, unknown>;

export interface ParameterDefinition {
  name: string;
  type: ParameterType;
  default?: unknown;
}

/** A parameter's text as the API takes it: numbers as numbers, booleans as booleans, '' as null. */
export function readParam(type: ParameterType, text: string): unknown {
  if (text === '') return null;
  if (type === 'INTEGER' || type === 'FLOAT') return Number(text);
  if (type === 'BOOLEAN') return text === 'true';
  return text;
}

/** The parameters an address asks for: the template's declared ones only, defaults for those not named. */
export function paramsFromSearch(parameters: readonly ParameterDefinition[], search: URLSearchParams): ReportParams {
  return Object.fromEntries(
    parameters.map((p) => {
      const text = search.get(p.name);
      return [p.name, text === null ? (p.default ?? null) : readParam(p.type, text)];
    }),
  );
}

/** A value as the address writes it: '' for no value. */
const textOf = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/**
 * The query string of an address for these parameters: each by name, empty when it has no value;
 * those equal to their template default (when `parameters` are given) left out.
 */
export function searchOfParams(params: ReportParams, parameters: readonly ParameterDefinition[] = []): string {
  const defaults = new Map(parameters.map((p) => [p.name, textOf(p.default)]));
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (defaults.get(name) !== textOf(value)) search.set(name, textOf(value));
  return search.toString();
}

/** The report's address with its parameters (those at their default left out when `parameters` are given). */
export const reportPath = (templateId: string, params: ReportParams, parameters?: readonly ParameterDefinition[]): string => {
  const search = searchOfParams(params, parameters);
  return `/reports/${encodeURIComponent(templateId)}${search ? `?${search}` : ''}`;
};
