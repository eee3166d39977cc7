// What a template holds besides its name: typed parameters and sections (KPI, TABLE, CHART,
// NARRATIVE), each with a dataset query whose filters may take a parameter. One schema, checked
// when a template is written — against the dataset's columns when it has data — and again when
// a stored template is rendered.
import { z } from 'zod';
import { compileQuery, datasetQuerySchema, type DatasetQuery, type Filter } from '../../../lib/datasets/query.js';
import type { ColumnSpec, ColumnType } from '../../../lib/datasets/tables.js';
import { badInput } from '../../../lib/errors.js';
import { EXPORT_OPTIONS } from './links.js';

/** Names a parameter cannot take: an export URL's own options, and what would reach an object's prototype. */
const RESERVED_PARAMETER_NAMES = new Set<string>([...EXPORT_OPTIONS, '__proto__', 'constructor', 'prototype']);

export const PARAMETER_TYPES = ['STRING', 'INTEGER', 'FLOAT', 'BOOLEAN', 'DATE'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** A calendar date, `YYYY-MM-DD`, that exists. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Whether `value` is a valid value of a parameter of `type`. */
export function fitsParameter(type: ParameterType, value: unknown): boolean {
  switch (type) {
    case 'STRING':
      return typeof value === 'string';
    case 'INTEGER':
      return Number.isSafeInteger(value);
    case 'FLOAT':
      return typeof value === 'number' && Number.isFinite(value);
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'DATE':
      return isIsoDate(value);
  }
}

const parameterSchema = z
  .object({
    name: z
      .string()
      .trim()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be an identifier (letters, digits, _)')
      .refine((name) => !RESERVED_PARAMETER_NAMES.has(name), {
        message: `is reserved (${[...RESERVED_PARAMETER_NAMES].join(', ')}): export links use it themselves`,
      }),
    type: z.enum(PARAMETER_TYPES),
    required: z
      .boolean()
      .nullish()
      .transform((v) => v ?? false),
    default: z.unknown().optional(),
    description: z.string().max(1000).nullish(),
  })
  .superRefine((p, ctx) => {
    if (p.default !== undefined && p.default !== null && !fitsParameter(p.type, p.default)) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: `is not a valid ${p.type}` });
    }
  });

export const parametersSchema = z
  .array(parameterSchema)
  .max(100)
  .superRefine((params, ctx) => {
    const seen = new Set<string>();
    params.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate parameter "${p.name}"` });
      seen.add(p.name);
    });
  });

export type Parameter = z.output<typeof parameterSchema>;

export const SECTION_KINDS = ['KPI', 'TABLE', 'CHART', 'NARRATIVE'] as const;

/** A section without a query is a placeholder: it renders with its title and no rows. */
export const sectionSchema = z.object({
  id: z.string().min(1).max(100).optional(),
  kind: z.enum(SECTION_KINDS),
  title: z.string().max(500).optional(),
  query: datasetQuerySchema.optional(),
  /**
   * An author's hints for a CHART (free-form, handed to the client as the chart's `options`); the
   * chart type itself is the chart model's, from the query's shape.
   */
  chart: z.record(z.string(), z.unknown()).optional(),
  /** The language of a NARRATIVE section's text. @default EN */
  language: z.enum(['EN', 'ZH']).optional(),
});

export type Section = z.output<typeof sectionSchema>;
type SectionFilter = Filter & { param?: string };

export const sectionsSchema = z
  .array(sectionSchema, 'must be a list of sections')
  .max(200)
  .superRefine((sections, ctx) => {
    const seen = new Set<string>();
    sections.forEach((s, i) => {
      if (s.id && seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate section id "${s.id}"` });
      if (s.id) seen.add(s.id);
    });
  });

/** The column types a parameter's values can be compared with. */
const COMPARABLE: Record<ParameterType, ColumnType[]> = {
  STRING: ['TEXT'],
  INTEGER: ['INTEGER', 'FLOAT'],
  FLOAT: ['INTEGER', 'FLOAT'],
  BOOLEAN: ['BOOLEAN'],
  DATE: ['DATE', 'TIMESTAMP'],
};

/**
 * Checks what the schema cannot: every filter's parameter is declared and fits its column, and —
 * when the dataset has data — every query compiles against its columns (as it would render with
 * the parameters' defaults). Throws BAD_USER_INPUT naming the field (`input.sections.2.query...`).
 */
export function checkSections(
  sections: Section[],
  parameters: Parameter[],
  columns: ColumnSpec[] | null,
  { maxRows, root = 'input.sections' }: { maxRows: number; root?: string },
): void {
  const declared = new Map(parameters.map((p) => [p.name, p]));
  const byName = new Map((columns ?? []).map((c) => [c.name, c]));
  sections.forEach((s, i) => {
    if (!s.query) return;
    const field = `${root}.${i}.query`;
    ((s.query.filters ?? []) as SectionFilter[]).forEach((f, k) => {
      if (f.param === undefined) return;
      const p = declared.get(f.param);
      const at = `${field}.filters.${k}.param`;
      if (!p) throw badInput(`${at}: the template has no parameter "${f.param}"`, { field: at });
      const column = byName.get(f.column);
      if (column && !COMPARABLE[p.type].includes(column.type)) {
        throw badInput(`${at}: parameter "${p.name}" is ${p.type}; column "${column.name}" is ${column.type}`, { field: at });
      }
    });
    if (columns) {
      const defaults = Object.fromEntries(parameters.map((p) => [p.name, p.default ?? null]));
      compileQuery('check', columns, withParameters(s.query, defaults), { maxRows, field });
    }
  });
}

/** The section's query with parameters in its filters; a filter whose parameter is unset is dropped. */
export function withParameters(query: NonNullable<Section['query']>, params: Record<string, unknown>): DatasetQuery {
  const filters = ((query.filters ?? []) as SectionFilter[]).flatMap((f) => {
    if (f.param === undefined) return [f];
    const value = Object.hasOwn(params, f.param) ? params[f.param] : null;
    if (value === null || value === undefined) return [];
    const { param: _param, ...rest } = f;
    return [{ ...rest, value }];
  });
  return { ...query, filters };
}
