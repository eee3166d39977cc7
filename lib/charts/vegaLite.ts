// Chart types and their Vega-Lite specs, for a query result whose columns play known roles (a time
// field, categories, numeric dimensions, measures). Shared by chart suggestions (insights) and
// report CHART sections (templates): both describe a `datasetQuery` result, whose columns are the
// dimensions, then the time bucket, then the measures.

/** The chart types a suggestion names, in the order the chart models' outputs use. */
export const CHART_TYPES = ['line', 'bar', 'pie', 'scatter', 'number', 'heatmap', 'table'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

/** Which result columns play which part in a chart. */
export interface ChartRoles {
  /** The time bucket or temporal dimension, if any. */
  time: string | null;
  categories: string[];
  numericDimensions: string[];
  measures: string[];
}

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

type Channel = Record<string, unknown>;
const field = (name: string, type: 'quantitative' | 'temporal' | 'nominal' | 'ordinal', extra: Channel = {}): Channel => ({
  field: name,
  type,
  ...extra,
});

/**
 * Several measures on one axis become one `value` field with the measure's name in `measure`
 * (Vega-Lite's fold transform), so they share the axis and the colour tells them apart.
 */
function measureChannel(roles: ChartRoles): { transform: Channel[]; y: Channel; colour: Channel | null } {
  if (roles.measures.length <= 1) return { transform: [], y: field(roles.measures[0] ?? 'value', 'quantitative'), colour: null };
  return {
    transform: [{ fold: roles.measures, as: ['measure', 'value'] }],
    y: field('value', 'quantitative'),
    colour: field('measure', 'nominal'),
  };
}

/** The encoding of each chart type; `table` is Vega-Lite's text table (one text mark per cell). */
function body(type: ChartType, roles: ChartRoles): Channel {
  const [category, second] = roles.categories;
  const { transform, y, colour } = measureChannel(roles);
  const withTransform = (spec: Channel) => (transform.length ? { transform, ...spec } : spec);
  switch (type) {
    case 'line':
      return withTransform({
        mark: { type: 'line', point: true },
        encoding: {
          x: roles.time ? field(roles.time, 'temporal') : field(roles.numericDimensions[0] ?? category ?? '', 'ordinal'),
          y,
          ...((colour ?? (category ? field(category, 'nominal') : null)) ? { color: colour ?? field(category!, 'nominal') } : {}),
        },
      });
    case 'bar':
      return withTransform({
        mark: 'bar',
        encoding: {
          x: field(
            category ?? roles.time ?? roles.numericDimensions[0] ?? '',
            category ? 'nominal' : 'ordinal',
            category ? { sort: '-y' } : {},
          ),
          y,
          ...(colour ? { color: colour, xOffset: field('measure', 'nominal') } : {}),
        },
      });
    case 'pie':
      return {
        mark: 'arc',
        encoding: { theta: field(roles.measures[0] ?? '', 'quantitative', { stack: true }), color: field(category ?? '', 'nominal') },
      };
    case 'scatter': {
      const [a, b] = roles.numericDimensions.length ? [roles.numericDimensions[0]!, roles.measures[0]!] : roles.measures;
      return {
        mark: 'point',
        encoding: {
          x: field(a ?? '', 'quantitative'),
          y: field(b ?? a ?? '', 'quantitative'),
          ...(category ? { tooltip: [field(category, 'nominal')] } : {}),
        },
      };
    }
    case 'number':
      return { mark: { type: 'text', fontSize: 48 }, encoding: { text: field(roles.measures[0] ?? '', 'quantitative', { format: ',' }) } };
    case 'heatmap': {
      const xName = roles.time ?? category ?? '';
      return {
        mark: 'rect',
        encoding: {
          x: field(xName, roles.time ? 'ordinal' : 'nominal', roles.time ? { timeUnit: 'yearmonthdate' } : {}),
          y: field((roles.time ? category : second) ?? '', 'nominal'),
          color: field(roles.measures[0] ?? '', 'quantitative'),
        },
      };
    }
    case 'table': {
      const columns = [roles.time, ...roles.categories, ...roles.numericDimensions, ...roles.measures].filter((c): c is string => !!c);
      return {
        transform: [{ window: [{ op: 'row_number', as: 'row' }] }, { fold: columns, as: ['column', 'cell'] }],
        mark: 'text',
        encoding: {
          y: field('row', 'ordinal', { axis: null }),
          x: field('column', 'nominal', { sort: columns }),
          text: field('cell', 'nominal'),
        },
      };
    }
  }
}

/**
 * A Vega-Lite spec drawing the result as `type`. `data` is inline values (a rendered report) or
 * the name of a data source the client binds the result's rows to, as objects keyed by column name.
 */
export function vegaLiteSpec(
  type: ChartType,
  roles: ChartRoles,
  data: { values: Array<Record<string, unknown>> } | { name: string },
): Channel {
  return { $schema: VEGA_LITE_SCHEMA, data, ...body(type, roles) };
}

/** Rows (arrays in result-column order) as the objects a Vega-Lite data source holds. */
export function rowsAsObjects(columns: ReadonlyArray<{ name: string }>, rows: readonly unknown[][]): Array<Record<string, unknown>> {
  return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, row[i]])));
}
