// A report's parameters in its address (`/reports/42?region=North&from=2024-01-01`), so a link
// opens the report as it was shown: each parameter by name, its value as text. A name left out
// (or given empty) takes the template's default, as the server binds a parameter without a value.
// Text is typed as the server types a query string (subgraphs/templates/data/links.ts
// paramsFromQuery): a number only when it reads as one, a boolean only as `true`/`false`; anything
// else stays text, for the server to refuse by name rather than be guessed at here.
import type { ParameterType } from '../__generated__/graphql.js';

export type ReportParams = Record<string, unknown>;

export interface ParameterDefinition {
  name: string;
  type: ParameterType;
  default?: unknown;
}

/** A parameter's text as the API takes it: '' as no value, numbers and booleans typed when they read as such. */
export function readParam(type: ParameterType, text: string): unknown {
  if (text === '') return null;
  if ((type === 'INTEGER' || type === 'FLOAT') && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (type === 'BOOLEAN' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** The parameters an address asks for: the template's declared ones only, defaults for those not given. */
export function paramsFromSearch(parameters: readonly ParameterDefinition[], search: URLSearchParams): ReportParams {
  return Object.fromEntries(
    parameters.map((p) => {
      const value = readParam(p.type, search.get(p.name) ?? '');
      return [p.name, value ?? p.default ?? null];
    }),
  );
}

/** A value as the address writes it: '' for no value. */
const textOf = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/**
 * The query string of an address for these parameters: each one with a value, by name; with
 * `parameters`, those at their template default are left out too (a shorter address bar — a link
 * meant to keep its meaning when the template's defaults change names every value instead).
 */
export function searchOfParams(params: ReportParams, parameters: readonly ParameterDefinition[] = []): string {
  const defaults = new Map(parameters.map((p) => [p.name, textOf(p.default)]));
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    const text = textOf(value);
    if (text !== '' && defaults.get(name) !== text) search.set(name, text);
  }
  return search.toString();
}

/** The report's address with its parameters (see `searchOfParams`). */
export const reportPath = (templateId: string, params: ReportParams, parameters?: readonly ParameterDefinition[]): string => {
  const search = searchOfParams(params, parameters);
  return `/reports/${encodeURIComponent(templateId)}${search ? `?${search}` : ''}`;
};
