// One report: its parameters, the rendered report (and whether the hot-report cache served it),
// the whole report as CSV, XLSX or PDF, CSV of each section, its runs, and its schedules —
// created, paused, resumed, deleted.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading, Page, Section } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import {
  DeleteReportScheduleDocument,
  ReportViewDocument,
  RunReportDocument,
  ScheduleReportDocument,
  TemplateDetailDocument,
  UpdateReportScheduleDocument,
  type ParameterType,
  type TemplateDetailQuery,
} from '../__generated__/graphql.js';
import { ReportExports } from './ReportExports.js';
import { ReportSections, type RenderedSection, type SectionDefinition } from './ReportSections.js';

type Template = NonNullable<TemplateDetailQuery['template']>;
type Params = Record<string, unknown>;

function readParam(type: ParameterType, text: string): unknown {
  if (text === '') return null;
  if (type === 'INTEGER' || type === 'FLOAT') return Number(text);
  if (type === 'BOOLEAN') return text === 'true';
  return text;
}

function ParameterForm({ template, onRender }: { template: Template; onRender(params: Params): void }) {
  const { t } = useI18n();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(template.parameters.map((p) => [p.name, p.default === null || p.default === undefined ? '' : String(p.default)])),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onRender(Object.fromEntries(template.parameters.map((p) => [p.name, readParam(p.type, values[p.name] ?? '')])));
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('report.parameters')}>
      {template.parameters.map((p) => (
        <label key={p.name}>
          {p.name}
          {p.required ? ' *' : ''}
          {p.type === 'BOOLEAN' ? (
            <select value={values[p.name]} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}>
              <option value="">—</option>
              <option value="true">true</option>
              <option value="false">false</option>
            </select>
          ) : (
            <input
              type={p.type === 'DATE' ? 'date' : p.type === 'STRING' ? 'text' : 'number'}
              step={p.type === 'FLOAT' ? 'any' : undefined}
              required={p.required}
              value={values[p.name]}
              placeholder={p.description ?? ''}
              onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}
            />
          )}
        </label>
      ))}
      <button type="submit">{t('report.render')}</button>
    </form>
  );
}

function Schedules({
  template,
  params,
  canChange,
  onChanged,
}: {
  template: Template;
  params: Params;
  canChange: boolean;
  onChanged(): void;
}) {
  const { t, dateTime } = useI18n();
  const [cron, setCron] = useState('0 8 * * 1-5');
  const [timezone, setTimezone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [created, schedule] = useMutation(ScheduleReportDocument);
  const [updated, update] = useMutation(UpdateReportScheduleDocument);
  const [deleted, remove] = useMutation(DeleteReportScheduleDocument);
  const after = (r: { data?: unknown }) => r.data && onChanged();
  return (
    <Section title={t('schedules.title')}>
      {template.schedules.length ? (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('schedules.cron')}</th>
              <th scope="col">{t('schedules.timezone')}</th>
              <th scope="col">{t('schedules.params')}</th>
              <th scope="col">{t('schedules.next')}</th>
              <th scope="col">{t('schedules.last')}</th>
              <th scope="col">{t('schedules.state')}</th>
              {canChange ? <th scope="col">{t('common.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {template.schedules.map((s) => (
              <tr key={s.id}>
                <td>
                  <code>{s.cron}</code>
                </td>
                <td>{s.timezone}</td>
                <td className="small">
                  <code>{JSON.stringify(s.params)}</code>
                </td>
                <td>{s.enabled ? dateTime(s.nextRunAt) : '—'}</td>
                <td>{dateTime(s.lastRunAt)}</td>
                <td>{s.enabled ? t('schedules.active') : t('schedules.paused')}</td>
                {canChange ? (
                  <td className="actions">
                    <button
                      type="button"
                      className="secondary"
                      onClick={async () => after(await update({ id: s.id, input: { enabled: !s.enabled } }))}
                    >
                      {s.enabled ? t('schedules.pause') : t('schedules.resume')}
                    </button>
                    <button type="button" className="danger" onClick={async () => after(await remove({ id: s.id }))}>
                      {t('common.delete')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('schedules.none')}</p>
      )}
      {canChange ? (
        <form
          className="inline-form"
          aria-label={t('schedules.create')}
          onSubmit={async (e) => {
            e.preventDefault();
            after(await schedule({ templateId: template.id, cron, timezone, params }));
          }}
        >
          <label>
            {t('schedules.cron')}
            <input required value={cron} onChange={(e) => setCron(e.target.value)} aria-describedby="cron-help" />
          </label>
          <label>
            {t('schedules.timezone')}
            <input required value={timezone} onChange={(e) => setTimezone(e.target.value)} />
          </label>
          <button type="submit">{t('schedules.create')}</button>
          <p id="cron-help" className="muted small">
            {t('schedules.cronHelp')}
          </p>
        </form>
      ) : null}
      <ErrorMessage error={created.error ?? updated.error ?? deleted.error} />
    </Section>
  );
}

function Runs({ template, onRun, running }: { template: Template; onRun(): void; running: boolean }) {
  const { t, dateTime, number } = useI18n();
  return (
    <Section
      title={t('runs.title')}
      actions={
        <button type="button" className="secondary" onClick={onRun} disabled={running}>
          {t('runs.runNow')}
        </button>
      }
    >
      {template.runs.length ? (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('runs.created')}</th>
              <th scope="col">{t('runs.status')}</th>
              <th scope="col" className="num">
                {t('reports.version')}
              </th>
              <th scope="col" className="num">
                {t('runs.duration')}
              </th>
              <th scope="col">{t('schedules.params')}</th>
            </tr>
          </thead>
          <tbody>
            {template.runs.map((r) => (
              <tr key={r.id}>
                <td>{dateTime(r.createdAt)}</td>
                <td>
                  <span className={`status status-${r.status}`}>{t(`status.${r.status}`)}</span>
                  {r.error ? <div className="small error-text">{r.error}</div> : null}
                </td>
                <td className="num">{r.templateVersion}</td>
                <td className="num">{r.durationMs === null ? '—' : `${number(r.durationMs, 0)} ms`}</td>
                <td className="small">
                  <code>{JSON.stringify(r.params)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('runs.none')}</p>
      )}
    </Section>
  );
}

export default function ReportPage({ params: route }: { params: Record<string, string> }) {
  const { t, number, dateTime } = useI18n();
  const { session } = useSession();
  const [{ data, error }, refetch] = useQuery({ query: TemplateDetailDocument, variables: { id: route.id! } });
  const [params, setParams] = useState<Params | null>(null);
  const template = data?.template;
  const asked = params ?? (template ? Object.fromEntries(template.parameters.map((p) => [p.name, p.default ?? null])) : {});
  const [report, rerender] = useQuery({
    query: ReportViewDocument,
    variables: { templateId: route.id!, params: asked },
    pause: !template,
    requestPolicy: 'network-only',
  });
  const [ran, run] = useMutation(RunReportDocument);
  if (error) return <ErrorMessage error={error} />;
  if (!template) return <Loading />;
  const canChange = session?.user.role === 'ADMIN' || (session?.user.role === 'ANALYST' && template.owner?.id === session.user.id);
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  const rendered = report.data?.report;
  const definitions = (Array.isArray(template.sections) ? template.sections : []) as SectionDefinition[];
  return (
    <Page title={template.name}>
      <p className="muted">
        {template.description ? `${template.description} · ` : ''}
        {t('report.about', { version: template.version, owner: template.owner?.username ?? '—' })}{' '}
        <Link href={`/datasets/${template.dataset.id}`}>{template.dataset.name}</Link>
      </p>
      {template.parameters.length ? <ParameterForm template={template} onRender={setParams} /> : null}
      <ReportExports templateId={template.id} name={template.name} params={asked} />
      <ErrorMessage error={report.error ?? ran.error} />
      {rendered ? (
        <>
          <p className="report-meta" role="status">
            {rendered.cached ? (
              <span className="badge cached">{t('report.cached')}</span>
            ) : (
              <span className="badge">{t('report.rendered')}</span>
            )}{' '}
            {t('report.generated', { at: dateTime(rendered.generatedAt), ms: number(rendered.durationMs, 1) })}{' '}
            <button type="button" className="link" onClick={() => rerender({ requestPolicy: 'network-only' })}>
              {t('report.reload')}
            </button>
          </p>
          <ReportSections
            sections={rendered.sections as RenderedSection[]}
            definitions={definitions}
            fileName={template.name.replace(/[^\w-]+/g, '_')}
          />
        </>
      ) : report.fetching ? (
        <Loading />
      ) : null}
      <Runs
        template={template}
        running={ran.fetching}
        onRun={async () => {
          const r = await run({ templateId: template.id, params: asked });
          if (r.data) refresh();
        }}
      />
      <Schedules template={template} params={asked} canChange={canChange} onChanged={refresh} />
    </Page>
  );
}
