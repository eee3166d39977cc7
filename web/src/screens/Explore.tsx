// Explore: pick dimensions, measures, filters and a time bucket; the gateway aggregates in
// PostgreSQL; the answer is drawn as a table and a chart (its type picked from the query's shape,
// switchable) and can be saved as a section of a new or existing report template.
import { useMemo, useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { Chart } from '../components/Chart.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading, Page, Section } from '../components/Page.js';
import { VirtualTable } from '../components/VirtualTable.js';
import { useI18n } from '../i18n/i18n.js';
import { CHART_KINDS, chartOption, defaultChartKind, type ChartKind } from '../lib/charts.js';
import { shapeOf, toSectionQuery, type Agg, type DraftQuery, type FilterOp, type TimeUnit } from '../lib/queryBuilder.js';
import { Link, navigate, useSearchParams } from '../router.js';
import { hasRole, useSession } from '../session.js';
import {
  CreateTemplateDocument,
  DatasetColumnsDocument,
  DatasetQueryDocument,
  TemplateDetailDocument,
  TemplateListDocument,
  UpdateTemplateDocument,
  type DatasetQueryQuery,
} from '../__generated__/graphql.js';

const AGGS: Agg[] = ['SUM', 'AVG', 'MIN', 'MAX', 'COUNT', 'COUNT_DISTINCT', 'MEDIAN'];
const OPS: FilterOp[] = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'IN', 'BETWEEN', 'IS_NULL', 'CONTAINS'];
const UNITS: TimeUnit[] = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'];
const TEMPORAL = new Set(['DATE', 'TIMESTAMP']);
const NUMERIC = new Set(['INTEGER', 'FLOAT']);

type Result = DatasetQueryQuery['datasetQuery'];

function SaveAsSection({
  datasetId,
  draft,
  types,
  kind,
}: {
  datasetId: string;
  draft: DraftQuery;
  types: Record<string, string>;
  kind: ChartKind;
}) {
  const { t } = useI18n();
  const client = useClient();
  const [{ data }] = useQuery({ query: TemplateListDocument });
  const [target, setTarget] = useState('');
  const [title, setTitle] = useState('');
  const [name, setName] = useState('');
  const [created, create] = useMutation(CreateTemplateDocument);
  const [updated, update] = useMutation(UpdateTemplateDocument);
  const [saved, setSaved] = useState<string | null>(null);
  const templates = (data?.templates ?? []).filter((tpl) => tpl.dataset.id === datasetId);
  const section = {
    kind: kind === 'table' ? 'TABLE' : kind === 'number' ? 'KPI' : 'CHART',
    title: title || undefined,
    query: toSectionQuery(draft, types),
    ...(kind !== 'table' && kind !== 'number' ? { chart: { type: kind } } : {}),
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    if (!target) {
      const r = await create({ input: { name, datasetId, sections: [section] } });
      if (r.data) setSaved(r.data.createTemplate.id);
      return;
    }
    const current = await client.query(TemplateDetailDocument, { id: target }, { requestPolicy: 'network-only' }).toPromise();
    const sections = Array.isArray(current.data?.template?.sections) ? current.data.template.sections : [];
    const r = await update({ id: target, input: { sections: [...sections, section] } });
    if (r.data) setSaved(target);
  };
  return (
    <Section title={t('explore.save')}>
      <form className="inline-form" onSubmit={save}>
        <label>
          {t('explore.template')}
          <select value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">{t('explore.newTemplate')}</option>
            {templates.map((tpl) => (
              <option key={tpl.id} value={tpl.id}>
                {tpl.name}
              </option>
            ))}
          </select>
        </label>
        {!target ? (
          <label>
            {t('explore.templateName')}
            <input required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        ) : null}
        <label>
          {t('explore.sectionTitle')}
          <input value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <button type="submit" disabled={created.fetching || updated.fetching}>
          {t('explore.saveButton')}
        </button>
      </form>
      {saved ? (
        <p role="status" className="ok">
          {t('explore.saved')} <Link href={`/reports/${saved}`}>{t('explore.openReport')}</Link>
        </p>
      ) : null}
      <ErrorMessage error={created.error ?? updated.error} />
    </Section>
  );
}

function ResultView({
  result: answer,
  draft,
  datasetId,
  types,
}: {
  result: Result;
  draft: DraftQuery;
  datasetId: string;
  types: Record<string, string>;
}) {
  const { t, number } = useI18n();
  const result = useMemo(() => ({ ...answer, rows: answer.rows as unknown[][] }), [answer]);
  const { session } = useSession();
  const { keys, time } = shapeOf(draft);
  const [picked, setPicked] = useState<ChartKind | null>(null);
  const kind = picked ?? defaultChartKind(result, { keys, time });
  const option = useMemo(() => chartOption(kind, result, { keys, time }), [kind, result, keys, time]);
  const single = result.rows.length === 1 && result.rows[0]!.length === 1 ? result.rows[0]![0] : null;
  return (
    <>
      <Section
        title={t('explore.result', { rows: number(result.rowCount, 0), version: result.version.number })}
        actions={
          <label className="inline">
            {t('explore.chartType')}
            <select value={kind} onChange={(e) => setPicked(e.target.value as ChartKind)}>
              {CHART_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`chart.${k}`)}
                </option>
              ))}
            </select>
          </label>
        }
      >
        {kind === 'number' ? (
          <p className="kpi" aria-label={result.columns.at(-1)?.name}>
            {typeof single === 'number' ? number(single) : String(single ?? '—')}
          </p>
        ) : option ? (
          <Chart option={option} label={t('explore.chartLabel', { kind: t(`chart.${kind}`), rows: result.rowCount })} />
        ) : kind !== 'table' ? (
          <p className="muted">{t('explore.cannotDraw')}</p>
        ) : null}
        <VirtualTable label={t('explore.table')} columns={result.columns} rows={result.rows} />
      </Section>
      {hasRole(session, 'ANALYST') ? <SaveAsSection datasetId={datasetId} draft={draft} types={types} kind={kind} /> : null}
    </>
  );
}

export default function Explore() {
  const { t } = useI18n();
  const search = useSearchParams();
  const [{ data, error }] = useQuery({ query: DatasetColumnsDocument });
  const datasetId = search.get('dataset') ?? data?.datasets.find((d) => d.columns.length)?.id ?? '';
  const dataset = data?.datasets.find((d) => d.id === datasetId);
  const columns = dataset?.columns ?? [];
  const types = Object.fromEntries(columns.map((c) => [c.name, c.type]));
  const [draft, setDraft] = useState<DraftQuery>({ dimensions: [], measures: [], filters: [], timeBucket: null, limit: 1000 });
  const [asked, setAsked] = useState<{ draft: DraftQuery; datasetId: string } | null>(null);
  const [answer] = useQuery({
    query: DatasetQueryDocument,
    variables: { input: { datasetId: asked?.datasetId ?? '', ...toSectionQuery(asked?.draft ?? draft, types) } },
    pause: !asked,
    requestPolicy: 'network-only',
  });

  if (error) return <ErrorMessage error={error} />;
  if (!data) return <Loading />;
  const firstNumeric = columns.find((c) => NUMERIC.has(c.type))?.name ?? columns[0]?.name ?? '';
  const toggleDimension = (name: string) =>
    setDraft((d) => ({ ...d, dimensions: d.dimensions.includes(name) ? d.dimensions.filter((x) => x !== name) : [...d.dimensions, name] }));
  const run = (e: FormEvent) => {
    e.preventDefault();
    setAsked({ draft, datasetId });
  };

  return (
    <Page title={t('explore.title')}>
      <form className="card builder" onSubmit={run} aria-label={t('explore.builder')}>
        <label>
          {t('explore.dataset')}
          <select
            value={datasetId}
            onChange={(e) => {
              setDraft({ dimensions: [], measures: [], filters: [], timeBucket: null, limit: 1000 });
              setAsked(null);
              navigate(`/explore?dataset=${e.target.value}`, { replace: true });
            }}
          >
            {data.datasets.map((d) => (
              <option key={d.id} value={d.id} disabled={!d.columns.length}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t('explore.dimensions')}</legend>
          <div className="chips">
            {columns.map((c) => (
              <label key={c.name} className="chip">
                <input type="checkbox" checked={draft.dimensions.includes(c.name)} onChange={() => toggleDimension(c.name)} />
                {c.name} <span className="muted small">{c.type}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('explore.measures')}</legend>
          {draft.measures.map((m, i) => (
            <div className="row" key={i}>
              <label>
                <span className="visually-hidden">{t('explore.measureAgg', { n: i + 1 })}</span>
                <select
                  value={m.agg}
                  onChange={(e) =>
                    setDraft((d) => ({ ...d, measures: d.measures.map((x, k) => (k === i ? { ...x, agg: e.target.value as Agg } : x)) }))
                  }
                >
                  {AGGS.map((a) => (
                    <option key={a}>{a}</option>
                  ))}
                </select>
              </label>
              <label>
                <span className="visually-hidden">{t('explore.measureColumn', { n: i + 1 })}</span>
                <select
                  value={m.column}
                  onChange={(e) =>
                    setDraft((d) => ({ ...d, measures: d.measures.map((x, k) => (k === i ? { ...x, column: e.target.value } : x)) }))
                  }
                >
                  <option value="*">*</option>
                  {columns.map((c) => (
                    <option key={c.name}>{c.name}</option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="link"
                onClick={() => setDraft((d) => ({ ...d, measures: d.measures.filter((_, k) => k !== i) }))}
              >
                {t('common.remove')}
              </button>
            </div>
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() => setDraft((d) => ({ ...d, measures: [...d.measures, { column: firstNumeric, agg: 'SUM' }] }))}
          >
            {t('explore.addMeasure')}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t('explore.filters')}</legend>
          {draft.filters.map((f, i) => (
            <div className="row" key={i}>
              <label>
                <span className="visually-hidden">{t('explore.filterColumn', { n: i + 1 })}</span>
                <select
                  value={f.column}
                  onChange={(e) =>
                    setDraft((d) => ({ ...d, filters: d.filters.map((x, k) => (k === i ? { ...x, column: e.target.value } : x)) }))
                  }
                >
                  {columns.map((c) => (
                    <option key={c.name}>{c.name}</option>
                  ))}
                </select>
              </label>
              <label>
                <span className="visually-hidden">{t('explore.filterOp', { n: i + 1 })}</span>
                <select
                  value={f.op}
                  onChange={(e) =>
                    setDraft((d) => ({ ...d, filters: d.filters.map((x, k) => (k === i ? { ...x, op: e.target.value as FilterOp } : x)) }))
                  }
                >
                  {OPS.map((op) => (
                    <option key={op} value={op}>
                      {t(`filter.${op}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span className="visually-hidden">{t('explore.filterValue', { n: i + 1 })}</span>
                <input
                  value={f.value}
                  placeholder={f.op === 'IN' || f.op === 'BETWEEN' ? 'a, b' : ''}
                  onChange={(e) =>
                    setDraft((d) => ({ ...d, filters: d.filters.map((x, k) => (k === i ? { ...x, value: e.target.value } : x)) }))
                  }
                />
              </label>
              <button
                type="button"
                className="link"
                onClick={() => setDraft((d) => ({ ...d, filters: d.filters.filter((_, k) => k !== i) }))}
              >
                {t('common.remove')}
              </button>
            </div>
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() => setDraft((d) => ({ ...d, filters: [...d.filters, { column: columns[0]?.name ?? '', op: 'EQ', value: '' }] }))}
          >
            {t('explore.addFilter')}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t('explore.timeBucket')}</legend>
          <div className="row">
            <label>
              {t('explore.timeColumn')}
              <select
                value={draft.timeBucket?.column ?? ''}
                onChange={(e) =>
                  setDraft((d) => ({
                    ...d,
                    timeBucket: e.target.value ? { column: e.target.value, unit: d.timeBucket?.unit ?? 'MONTH' } : null,
                  }))
                }
              >
                <option value="">{t('explore.noBucket')}</option>
                {columns
                  .filter((c) => TEMPORAL.has(c.type))
                  .map((c) => (
                    <option key={c.name}>{c.name}</option>
                  ))}
              </select>
            </label>
            {draft.timeBucket ? (
              <label>
                {t('explore.unit')}
                <select
                  value={draft.timeBucket.unit}
                  onChange={(e) => setDraft((d) => ({ ...d, timeBucket: { ...d.timeBucket!, unit: e.target.value as TimeUnit } }))}
                >
                  {UNITS.map((u) => (
                    <option key={u} value={u}>
                      {t(`unit.${u}`)}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label>
              {t('explore.limit')}
              <input
                type="number"
                min={1}
                max={100000}
                value={draft.limit ?? ''}
                onChange={(e) => setDraft((d) => ({ ...d, limit: e.target.value ? Number(e.target.value) : null }))}
              />
            </label>
          </div>
        </fieldset>
        <button type="submit" disabled={!datasetId || answer.fetching}>
          {t('explore.run')}
        </button>
      </form>
      <ErrorMessage error={answer.error} />
      {asked && answer.fetching ? <Loading /> : null}
      {asked && answer.data && !answer.fetching ? (
        <ResultView
          key={JSON.stringify(asked)}
          result={answer.data.datasetQuery}
          draft={asked.draft}
          datasetId={asked.datasetId}
          types={types}
        />
      ) : null}
    </Page>
  );
}
