// A rendered report's sections as the gateway answered them: KPIs as numbers, tables, charts of
// the type the template names, narratives as text — each downloadable as CSV.
import { useMemo } from 'react';
import { Chart } from '../components/Chart.js';
import { VirtualTable } from '../components/VirtualTable.js';
import { useI18n } from '../i18n/i18n.js';
import { CHART_KINDS, chartOption, defaultChartKind, type ChartKind } from '../lib/charts.js';
import { download, toCsv } from '../lib/csv.js';

export interface RenderedSection {
  id: string;
  kind: 'KPI' | 'TABLE' | 'CHART' | 'NARRATIVE';
  title: string;
  columns?: Array<{ name: string; type: string }>;
  rows?: unknown[][];
  value?: unknown;
  chart?: { type?: string };
  text?: string;
}

/** A template section's query, for how many of a result's leading columns are keys. */
export interface SectionDefinition {
  query?: { dimensions?: string[] | null; timeBucket?: unknown };
}

function SectionChart({ section, definition }: { section: RenderedSection; definition?: SectionDefinition }) {
  const { t } = useI18n();
  const dims = definition?.query?.dimensions?.length ?? 0;
  const keys = dims + (definition?.query?.timeBucket ? 1 : 0);
  const time = definition?.query?.timeBucket ? dims : null;
  const result = useMemo(() => ({ columns: section.columns ?? [], rows: section.rows ?? [] }), [section]);
  const wanted = section.chart?.type;
  const kind: ChartKind = CHART_KINDS.includes(wanted as ChartKind) ? (wanted as ChartKind) : defaultChartKind(result, { keys, time });
  const option = useMemo(() => chartOption(kind, result, { keys, time }), [kind, result, keys, time]);
  if (!option) return <VirtualTable label={section.title} columns={result.columns} rows={result.rows} />;
  return <Chart option={option} label={t('report.chartLabel', { title: section.title, kind: t(`chart.${kind}`) })} height={280} />;
}

export function ReportSections({
  sections,
  definitions,
  fileName,
}: {
  sections: RenderedSection[];
  definitions: SectionDefinition[];
  fileName: string;
}) {
  const { t, number } = useI18n();
  return (
    <div className="sections">
      {sections.map((s, i) => (
        <section key={s.id ?? i} className={`card section-${s.kind.toLowerCase()}`} aria-label={s.title}>
          <div className="card-head">
            <h2>{s.title}</h2>
            {s.columns?.length ? (
              <button
                type="button"
                className="link"
                onClick={() => download(`${fileName}-${s.id}.csv`, toCsv(s.columns!, s.rows ?? []))}
                aria-label={t('report.csvOf', { title: s.title })}
              >
                CSV
              </button>
            ) : null}
          </div>
          {s.kind === 'KPI' ? <p className="kpi">{typeof s.value === 'number' ? number(s.value) : String(s.value ?? '—')}</p> : null}
          {s.kind === 'NARRATIVE' ? <p className="narrative">{s.text}</p> : null}
          {s.kind === 'CHART' ? <SectionChart section={s} definition={definitions[i]} /> : null}
          {s.kind === 'TABLE' ? <VirtualTable label={s.title} columns={s.columns ?? []} rows={s.rows ?? []} visibleRows={8} /> : null}
        </section>
      ))}
    </div>
  );
}
