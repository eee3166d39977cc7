// One analysis, live: progress streamed over the `analysisProgress` subscription (a bar, each
// step as it happens, a cancel button), then the results — the series with its anomalies marked
// and the forecast band, the narrative, the suggested chart, the trend, the model versions used.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { Chart } from '../components/Chart.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading, Page, Section } from '../components/Page.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { useI18n } from '../i18n/i18n.js';
import { analysisOption, CHART_KINDS, shortTime, type ChartKind } from '../lib/charts.js';
import { Link } from '../router.js';
import {
  AnalysisJobDetailDocument,
  AnalysisProgressDocument,
  CancelAnalysisDocument,
  DatasetQueryDocument,
  type AnalysisJobDetailQuery,
  type AnalysisProgressSubscription,
} from '../__generated__/graphql.js';

type Job = NonNullable<AnalysisJobDetailQuery['analysisJob']>;
type Step = AnalysisProgressSubscription['analysisProgress'];
const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

function LiveProgress({ job, onFinished }: { job: Job; onFinished(): void }) {
  const { t } = useI18n();
  // A step repeated as it stands (the final state after the last step) is listed once.
  const [steps] = useSubscription({ query: AnalysisProgressDocument, variables: { jobId: job.id } }, (seen: Step[] = [], event) => {
    const step = event.analysisProgress;
    const last = seen.at(-1);
    const same =
      last &&
      last.stage === step.stage &&
      last.message === step.message &&
      last.progress === step.progress &&
      last.job.status === step.job.status;
    return same ? seen : [...seen, step];
  });
  const [cancelled, cancel] = useMutation(CancelAnalysisDocument);
  const events = steps.data ?? [];
  const last = events.at(-1);
  const status = last?.job.status ?? job.status;
  useEffect(() => {
    if (FINAL.has(status)) onFinished();
  }, [status, onFinished]);
  const progress = last?.progress ?? job.progress;
  return (
    <Section title={t('analysis.progress')}>
      <ProgressBar value={progress} label={t('analysis.progress')} text={`${Math.round(progress * 100)}% · ${t(`status.${status}`)}`} />
      <ol className="stage-list" aria-live="polite" aria-label={t('analysis.stages')}>
        {events.map((e, i) => (
          <li key={i}>
            <span className="stage">{e.stage}</span> {e.message ? <span className="muted">{e.message}</span> : null}
            {e.insight ? <span className="badge">{t(`kind.${e.insight.kind}`)}</span> : null}
          </li>
        ))}
      </ol>
      {!FINAL.has(status) ? (
        <button type="button" className="danger" onClick={() => cancel({ id: job.id })} disabled={cancelled.fetching}>
          {t('analysis.cancel')}
        </button>
      ) : null}
      <ErrorMessage error={steps.error ?? cancelled.error} />
    </Section>
  );
}

function SeriesChart({ job, kind }: { job: Job; kind: 'line' | 'bar' }) {
  const { t } = useI18n();
  const time = job.timeColumn!;
  const [{ data, error }] = useQuery({
    query: DatasetQueryDocument,
    variables: {
      // The series the worker analysed: the column summed per time value, nulls left out, in time order.
      input: {
        datasetId: job.dataset.id,
        dimensions: [time],
        measures: [{ column: job.column, agg: 'SUM' }],
        filters: [
          { column: time, op: 'IS_NULL', value: false },
          { column: job.column, op: 'IS_NULL', value: false },
        ],
        orderBy: [{ column: time, direction: 'ASC' }],
        limit: 100000,
      },
    },
  });
  const anomalies = job.insights.flatMap((i) => i.anomalies);
  const forecast = job.insights.find((i) => i.kind === 'FORECAST')?.forecast ?? [];
  const option = useMemo(() => {
    const rows = (data?.datasetQuery.rows ?? []) as unknown[][];
    const series = rows.map((r) => ({ timestamp: String(r[0]), value: Number(r[1]) }));
    return analysisOption(
      series,
      anomalies,
      forecast,
      { value: job.column, anomalies: t('analysis.anomalies'), forecast: t('analysis.forecast'), interval: t('analysis.interval') },
      kind,
    );
  }, [data, anomalies, forecast, job.column, kind, t]);
  if (error) return <ErrorMessage error={error} />;
  if (!data) return <Loading />;
  return (
    <Chart
      option={option}
      label={t('analysis.chartLabel', { column: job.column, anomalies: anomalies.length, forecast: forecast.length })}
      height={360}
    />
  );
}

function Results({ job }: { job: Job }) {
  const { t, number, dateTime } = useI18n();
  const by = (kind: string) => job.insights.filter((i) => i.kind === kind);
  const anomalies = by('ANOMALY').flatMap((i) => i.anomalies);
  const chart = by('CHART')[0]?.chart;
  const drawAs = chart?.type === 'bar' ? 'bar' : 'line';
  return (
    <>
      {job.timeColumn ? (
        <Section title={t('analysis.series', { column: job.column })}>
          <SeriesChart job={job} kind={drawAs} />
          {chart ? (
            <p className="muted small">
              {t('analysis.suggested', {
                type: CHART_KINDS.includes(chart.type as ChartKind) ? t(`chart.${chart.type as ChartKind}`) : chart.type,
                probability: chart.probability === null ? '—' : `${Math.round(chart.probability * 100)}%`,
              })}
            </p>
          ) : null}
        </Section>
      ) : null}
      {by('NARRATIVE').map((i) => (
        <Section key={i.id} title={t('analysis.narrative')}>
          <p className="narrative" lang={i.language === 'ZH' ? 'zh-CN' : 'en'}>
            {i.summary}
          </p>
        </Section>
      ))}
      <Section title={t('analysis.anomalyList', { count: anomalies.length })}>
        {by('ANOMALY').map((i) => (
          <p key={i.id} className="muted">
            {i.summary}
          </p>
        ))}
        {anomalies.length ? (
          <table className="list" aria-label={t('analysis.anomalies')}>
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">{t('analysis.when')}</th>
                <th scope="col" className="num">
                  {t('analysis.value')}
                </th>
                <th scope="col" className="num">
                  {t('analysis.score')}
                </th>
              </tr>
            </thead>
            <tbody>
              {anomalies.map((a) => (
                <tr key={a.index}>
                  <td className="num">{a.index}</td>
                  <td>{a.timestamp ? shortTime(a.timestamp) : '—'}</td>
                  <td className="num">{number(a.value)}</td>
                  <td className="num">{number(a.score)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Section>
      {by('TREND')
        .concat(by('FORECAST'))
        .concat(by('CHART'))
        .map((i) => (
          <Section key={i.id} title={t(`kind.${i.kind}`)}>
            <p>{i.summary}</p>
          </Section>
        ))}
      <Section title={t('analysis.models')}>
        {job.modelVersions.length ? (
          <ul>
            {job.modelVersions.map((v) => (
              <li key={v.id}>
                <Link href={`/models/${encodeURIComponent(v.model.name)}`}>{v.model.name}</Link> v{v.version}{' '}
                <code className="small">{v.sha256.slice(0, 12)}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('analysis.noModels')}</p>
        )}
        <p className="muted small">
          {t('analysis.ran', { device: job.device ?? '—', started: dateTime(job.startedAt), finished: dateTime(job.finishedAt) })}
        </p>
      </Section>
    </>
  );
}

export default function AnalysisPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const [{ data, error }, refetch] = useQuery({ query: AnalysisJobDetailDocument, variables: { id: params.id! } });
  // The live panel stays once shown: the steps are the record of how the run went.
  const [live, setLive] = useState(false);
  const job = data?.analysisJob;
  const final = job ? FINAL.has(job.status) : false;
  useEffect(() => {
    if (job && !final) setLive(true);
  }, [job, final]);
  const onFinished = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  if (error) return <ErrorMessage error={error} />;
  if (!job) return <Loading />;
  return (
    <Page title={t('analysis.title', { column: job.column, dataset: job.dataset.name })}>
      <p className="muted">
        <Link href={`/datasets/${job.dataset.id}`}>{job.dataset.name}</Link> · {job.kinds.map((k) => t(`kind.${k}`)).join(', ')} ·{' '}
        {t(`priority.${job.priority}`)}
      </p>
      {live || !final ? <LiveProgress job={job} onFinished={onFinished} /> : null}
      {job.error ? <ErrorMessage errors={[{ code: 'INTERNAL_SERVER_ERROR', message: job.error, details: {} }]} /> : null}
      {final ? <Results job={job} /> : null}
    </Page>
  );
}
