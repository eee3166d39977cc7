// Analyses: run one on a dataset column (analysts), and every analysis with its state.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading, Page, Section } from '../components/Page.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, useSearchParams } from '../router.js';
import { hasRole, useSession } from '../session.js';
import {
  AnalysisJobListDocument,
  DatasetColumnsDocument,
  RunAnalysisDocument,
  type AnalysisKind,
  type Language,
  type Priority,
} from '../__generated__/graphql.js';

const KINDS: AnalysisKind[] = ['ANOMALY', 'FORECAST', 'TREND', 'NARRATIVE', 'CHART'];
const NUMERIC = new Set(['INTEGER', 'FLOAT']);
const TEMPORAL = new Set(['DATE', 'TIMESTAMP']);

function RunAnalysis() {
  const { t, language: uiLanguage } = useI18n();
  const { session } = useSession();
  const search = useSearchParams();
  const [{ data }] = useQuery({ query: DatasetColumnsDocument });
  const [datasetId, setDatasetId] = useState(search.get('dataset') ?? '');
  const dataset = data?.datasets.find((d) => d.id === datasetId) ?? data?.datasets.find((d) => d.columns.some((c) => NUMERIC.has(c.type)));
  const numeric = dataset?.columns.filter((c) => NUMERIC.has(c.type)) ?? [];
  const temporal = dataset?.columns.filter((c) => TEMPORAL.has(c.type)) ?? [];
  const [column, setColumn] = useState('');
  const [timeColumn, setTimeColumn] = useState<string | null>(null);
  const [kinds, setKinds] = useState<AnalysisKind[]>(['ANOMALY', 'FORECAST', 'TREND', 'NARRATIVE', 'CHART']);
  const [priority, setPriority] = useState<Priority>('NORMAL');
  const [horizon, setHorizon] = useState(12);
  const [language, setLanguage] = useState<Language>(uiLanguage === 'zh' ? 'ZH' : 'EN');
  const [result, run] = useMutation(RunAnalysisDocument);

  const chosenColumn = numeric.some((c) => c.name === column) ? column : (numeric[0]?.name ?? '');
  const chosenTime = timeColumn === '' ? null : temporal.some((c) => c.name === timeColumn) ? timeColumn : (temporal[0]?.name ?? null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!dataset) return;
    const r = await run({
      input: { datasetId: dataset.id, column: chosenColumn, timeColumn: chosenTime, kinds, priority, horizon, language },
    });
    if (r.data) navigate(`/analyses/${r.data.runAnalysis.id}`);
  };
  return (
    <Section title={t('analyses.run')}>
      <form className="inline-form" onSubmit={submit} aria-label={t('analyses.run')}>
        <label>
          {t('explore.dataset')}
          <select value={dataset?.id ?? ''} onChange={(e) => setDatasetId(e.target.value)}>
            {data?.datasets.map((d) => (
              <option key={d.id} value={d.id} disabled={!d.columns.some((c) => NUMERIC.has(c.type))}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('analyses.column')}
          <select value={chosenColumn} onChange={(e) => setColumn(e.target.value)}>
            {numeric.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <label>
          {t('analyses.timeColumn')}
          <select value={chosenTime ?? ''} onChange={(e) => setTimeColumn(e.target.value)}>
            <option value="">{t('analyses.tableOrder')}</option>
            {temporal.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <fieldset className="chips">
          <legend>{t('analyses.kinds')}</legend>
          {KINDS.map((k) => (
            <label key={k} className="chip">
              <input
                type="checkbox"
                checked={kinds.includes(k)}
                onChange={() => setKinds(kinds.includes(k) ? kinds.filter((x) => x !== k) : [...kinds, k])}
              />
              {t(`kind.${k}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t('analyses.priority')}
          <select value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
            {(['LOW', 'NORMAL', 'URGENT'] as Priority[])
              .filter((p) => p !== 'URGENT' || hasRole(session, 'ADMIN'))
              .map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}`)}
                </option>
              ))}
          </select>
        </label>
        <label>
          {t('analyses.horizon')}
          <input type="number" min={1} max={365} value={horizon} onChange={(e) => setHorizon(Number(e.target.value))} />
        </label>
        <label>
          {t('analyses.language')}
          <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            <option value="EN">English</option>
            <option value="ZH">中文</option>
          </select>
        </label>
        <button type="submit" disabled={!dataset || !chosenColumn || !kinds.length || result.fetching}>
          {t('analyses.start')}
        </button>
      </form>
      <ErrorMessage error={result.error} />
    </Section>
  );
}

export default function Analyses() {
  const { t, dateTime } = useI18n();
  const { session } = useSession();
  const [{ data, error }] = useQuery({ query: AnalysisJobListDocument });
  return (
    <Page title={t('analyses.title')}>
      {hasRole(session, 'ANALYST') ? <RunAnalysis /> : null}
      <ErrorMessage error={error} />
      {!data ? (
        <Loading />
      ) : (
        <table className="list" aria-label={t('analyses.title')}>
          <thead>
            <tr>
              <th scope="col">{t('analyses.started')}</th>
              <th scope="col">{t('reports.dataset')}</th>
              <th scope="col">{t('analyses.column')}</th>
              <th scope="col">{t('analyses.kinds')}</th>
              <th scope="col">{t('runs.status')}</th>
              <th scope="col">{t('analyses.progress')}</th>
            </tr>
          </thead>
          <tbody>
            {data.analysisJobs.map((j) => (
              <tr key={j.id}>
                <td>
                  <Link href={`/analyses/${j.id}`}>{dateTime(j.createdAt)}</Link>
                </td>
                <td>{j.dataset.name}</td>
                <td>{j.column}</td>
                <td className="small">{j.kinds.map((k) => t(`kind.${k}`)).join(', ')}</td>
                <td>
                  <span className={`status status-${j.status}`}>{t(`status.${j.status}`)}</span>
                </td>
                <td>
                  <ProgressBar value={j.progress} label={t('analyses.progressOf', { column: j.column })} />
                </td>
              </tr>
            ))}
            {data.analysisJobs.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  {t('analyses.none')}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      )}
    </Page>
  );
}
