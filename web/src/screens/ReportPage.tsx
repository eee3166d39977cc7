// One report: its parameters, the rendered report (and whether the hot-report cache served it),
// the whole report as CSV, XLSX or PDF, CSV of each section, its runs, and its schedules —
// created, paused, resumed, deleted.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading, Page, Section } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { paramsFromSearch, reportPath, type ReportParams } from '../lib/reportParams.js';
import { Link, navigate, useSearchParams } from '../router.js';
import { useSession } from '../session.js';
import {
  DeleteReportScheduleDocument,
  ReportViewDocument,
  RunReportDocument,
  ScheduleReportDocument,
  TemplateDetailDocument,
  UpdateReportScheduleDocument,
  type ExportFormat,
  type TemplateDetailQuery,
} from '../__generated__/graphql.js';
import { EXPORT_FORMATS, ReportExports } from './ReportExports.js';
import { ReportSections, type RenderedSection, type SectionDefinition } from './ReportSections.js';
import { ReportShare } from './ReportShare.js';

type Template = NonNullable<TemplateDetailQuery['template']>;
type Params = ReportParams;

/** The parameters' fields, filled from `params`; rendering puts the values in the address. */
function ParameterForm({ template, params }: { template: Template; params: Params }) {
  const { t } = useI18n();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      template.parameters.map((p) => [p.name, params[p.name] === null || params[p.name] === undefined ? '' : String(params[p.name])]),
    ),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(reportPath(template.id, paramsFromSearch(template.parameters, new URLSearchParams(values)), template.parameters));
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

/** Addresses typed with commas, semicolons or spaces between them. */
const splitRecipients = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

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
  const [recipients, setRecipients] = useState('');
  const [webhookUrl, setWebhookUrl] = useState('');
  const [formats, setFormats] = useState<ExportFormat[]>(['PDF']);
  const [problem, setProblem] = useState<string | null>(null);
  const [created, schedule] = useMutation(ScheduleReportDocument);
  const [updated, update] = useMutation(UpdateReportScheduleDocument);
  const [deleted, remove] = useMutation(DeleteReportScheduleDocument);
  const after = (r: { data?: unknown }) => r.data && onChanged();
  // The webhook's signing secret, shown once after the schedule is made (it can be read again by its owner).
  const made = created.data?.scheduleReport;
  const secret = made && template.schedules.some((s) => s.id === made.id) ? made.webhookSecret : null;
  return (
    <Section title={t('schedules.title')}>
      {template.schedules.length ? (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('schedules.cron')}</th>
              <th scope="col">{t('schedules.timezone')}</th>
              <th scope="col">{t('schedules.params')}</th>
              <th scope="col">{t('schedules.deliverTo')}</th>
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
                <td className="small">
                  {s.recipients.length || s.webhookUrl ? (
                    <>
                      {[...s.recipients, ...(s.webhookUrl ? [s.webhookUrl] : [])].join(', ')}
                      {s.formats.length ? <div className="muted">{s.formats.join(' · ')}</div> : null}
                    </>
                  ) : (
                    '—'
                  )}
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
            const delivered = splitRecipients(recipients).length > 0 || webhookUrl.trim() !== '';
            if (delivered && !formats.length) return setProblem(t('schedules.formatsNeeded'));
            setProblem(null);
            const r = await schedule({
              templateId: template.id,
              cron,
              timezone,
              params,
              recipients: splitRecipients(recipients),
              webhookUrl: webhookUrl.trim() || null,
              ...(delivered ? { formats } : {}),
            });
            if (!r.data) return;
            // Made: the form starts again, so a second click does not make the same schedule twice.
            setRecipients('');
            setWebhookUrl('');
            onChanged();
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
          <label>
            {t('schedules.recipients')}
            <input
              value={recipients}
              placeholder="finance@example.com, ceo@example.com"
              onChange={(e) => setRecipients(e.target.value)}
              autoComplete="off"
            />
          </label>
          <label>
            {t('schedules.webhook')}
            <input type="url" value={webhookUrl} placeholder="https://" onChange={(e) => setWebhookUrl(e.target.value)} />
          </label>
          <fieldset className="chips">
            <legend>{t('schedules.formats')}</legend>
            {EXPORT_FORMATS.map((f) => (
              <label key={f} className="chip">
                <input
                  type="checkbox"
                  checked={formats.includes(f)}
                  onChange={() => setFormats(formats.includes(f) ? formats.filter((x) => x !== f) : [...formats, f])}
                />
                {f}
              </label>
            ))}
          </fieldset>
          <button type="submit">{t('schedules.create')}</button>
          <p id="cron-help" className="muted small">
            {t('schedules.cronHelp')}
          </p>
        </form>
      ) : null}
      {secret ? (
        <p className="once" role="status">
          {t('schedules.secret')} <code>{secret}</code> <CopyButton text={secret} label={t('schedules.copySecret')} />
        </p>
      ) : null}
      {problem ? (
        <p className="error-text" role="alert">
          {problem}
        </p>
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
              <th scope="col">{t('runs.delivery')}</th>
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
                <td>{r.deliveryStatus === 'NONE' ? '—' : t(`delivery.${r.deliveryStatus}`)}</td>
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
  // The parameters live in the address: a link, a reload or the back button shows the same report.
  const search = useSearchParams();
  const template = data?.template;
  const asked = template ? paramsFromSearch(template.parameters, search) : {};
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
      {template.parameters.length ? <ParameterForm key={search.toString()} template={template} params={asked} /> : null}
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
      <ReportShare templateId={template.id} params={asked} />
    </Page>
  );
}
