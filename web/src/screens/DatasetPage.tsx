// One dataset: its versions (switch between them), the chosen version's column profiles with
// histograms and a preview of its rows, and — for its owner or an ADMIN — uploads, cleaning and
// imports, each making a new version.
import { useMutation, useQuery } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Histogram } from '../components/Histogram.js';
import { Loading, Page, Section } from '../components/Page.js';
import { VirtualTable } from '../components/VirtualTable.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, useSearchParams } from '../router.js';
import { useSession } from '../session.js';
import { DatasetDetailDocument, DatasetVersionProfileDocument, DeleteDatasetDocument } from '../__generated__/graphql.js';
import { CsvUpload } from './CsvUpload.js';
import { Cleaning, Imports } from './DatasetForms.js';

const PREVIEW_ROWS = 1000;
const show = (v: unknown) => (v === null || v === undefined ? '—' : String(v));

function Profile({ datasetId, number }: { datasetId: string; number: number }) {
  const { t, number: fmt, dateTime } = useI18n();
  const [{ data, error }] = useQuery({ query: DatasetVersionProfileDocument, variables: { id: datasetId, number, rows: PREVIEW_ROWS } });
  const version = data?.dataset?.version;
  if (error) return <ErrorMessage error={error} />;
  if (!version) return <Loading />;
  const stat = (v: number | null | undefined) => (v === null || v === undefined ? '—' : fmt(v));
  return (
    <>
      <Section title={t('dataset.profile', { version: version.number })}>
        {!version.profiledAt ? (
          <p className="muted">{t('dataset.profiling')}</p>
        ) : (
          <p className="muted small">{t('dataset.profiledAt', { at: dateTime(version.profiledAt) })}</p>
        )}
        <div className="table-scroll" role="region" aria-label={t('dataset.profile', { version: version.number })} tabIndex={0}>
          <table className="list profile">
            <thead>
              <tr>
                <th scope="col">{t('dataset.column')}</th>
                <th scope="col">{t('dataset.type')}</th>
                <th scope="col" className="num">
                  {t('dataset.nulls')}
                </th>
                <th scope="col" className="num">
                  {t('dataset.distinct')}
                </th>
                <th scope="col" className="num">
                  {t('dataset.min')}
                </th>
                <th scope="col" className="num">
                  {t('dataset.max')}
                </th>
                <th scope="col" className="num">
                  {t('dataset.mean')}
                </th>
                <th scope="col" className="num">
                  {t('dataset.stddev')}
                </th>
                <th scope="col">{t('dataset.histogram')}</th>
              </tr>
            </thead>
            <tbody>
              {version.columns.map((c) => (
                <tr key={c.name}>
                  <th scope="row">{c.name}</th>
                  <td>
                    <span className={`type type-${c.type}`}>{c.type}</span>
                  </td>
                  <td className="num">{stat(c.nullCount)}</td>
                  <td className="num">
                    {stat(c.distinctCount)}
                    {c.estimated ? <abbr title={t('dataset.estimated')}>≈</abbr> : null}
                  </td>
                  <td className="num">{show(c.min)}</td>
                  <td className="num">{show(c.max)}</td>
                  <td className="num">{stat(c.mean)}</td>
                  <td className="num">{stat(c.stddev)}</td>
                  <td>
                    <Histogram bins={c.histogram} label={t('dataset.histogramOf', { column: c.name })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title={t('dataset.preview', { rows: fmt(version.preview.length, 0), total: fmt(version.rowCount, 0) })}>
        <VirtualTable label={t('dataset.previewLabel')} columns={version.columns} rows={version.preview as unknown[][]} />
      </Section>
    </>
  );
}

export default function DatasetPage({ params }: { params: Record<string, string> }) {
  const { t, number, dateTime } = useI18n();
  const { session } = useSession();
  const search = useSearchParams();
  const [{ data, error, fetching }, refetch] = useQuery({ query: DatasetDetailDocument, variables: { id: params.id! } });
  const [deleted, remove] = useMutation(DeleteDatasetDocument);
  const dataset = data?.dataset;
  if (error) return <ErrorMessage error={error} />;
  if (!dataset) return fetching ? <Loading /> : <p>{t('common.notFound')}</p>;

  const chosen = Number(search.get('version')) || dataset.currentVersion?.number || null;
  const canChange = session?.user.role === 'ADMIN' || (session?.user.role === 'ANALYST' && dataset.owner?.id === session.user.id);
  const showVersion = (n: number) => {
    refetch({ requestPolicy: 'network-only' });
    navigate(`/datasets/${dataset.id}?version=${n}`);
  };
  return (
    <Page
      title={dataset.name}
      actions={
        <>
          <Link className="button secondary" href={`/explore?dataset=${dataset.id}`}>
            {t('dataset.explore')}
          </Link>
          <Link className="button secondary" href={`/analyses?dataset=${dataset.id}`}>
            {t('dataset.analyse')}
          </Link>
          {canChange ? (
            <button
              type="button"
              className="danger"
              onClick={async () => {
                if (!confirm(t('dataset.confirmDelete', { name: dataset.name }))) return;
                const r = await remove({ id: dataset.id });
                if (r.data) navigate('/datasets');
              }}
            >
              {t('common.delete')}
            </button>
          ) : null}
        </>
      }
    >
      <ErrorMessage error={deleted.error} />
      <p className="muted">
        {dataset.description ? `${dataset.description} · ` : ''}
        {t('dataset.summary', {
          rows: number(dataset.rowCount, 0),
          owner: dataset.owner?.username ?? '—',
          created: dateTime(dataset.createdAt),
        })}
      </p>
      {canChange ? <CsvUpload datasetId={dataset.id} onUploaded={(v) => showVersion(v.number)} /> : null}
      <Section title={t('dataset.versions')}>
        {dataset.versions.length === 0 ? (
          <p className="muted">{t('dataset.noVersions')}</p>
        ) : (
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('datasets.version')}</th>
                <th scope="col">{t('datasets.source')}</th>
                <th scope="col" className="num">
                  {t('datasets.rows')}
                </th>
                <th scope="col">{t('dataset.steps')}</th>
                <th scope="col">{t('dataset.created')}</th>
              </tr>
            </thead>
            <tbody>
              {dataset.versions.map((v) => (
                <tr key={v.id} className={v.number === chosen ? 'selected' : undefined}>
                  <td>
                    <Link href={`/datasets/${dataset.id}?version=${v.number}`} aria-current={v.number === chosen ? 'true' : undefined}>
                      v{v.number}
                    </Link>
                    {v.number === dataset.currentVersion?.number ? <span className="badge">{t('dataset.current')}</span> : null}
                  </td>
                  <td>
                    {v.sourceKind}
                    {typeof (v.source as { fileName?: unknown }).fileName === 'string' ? (
                      <span className="muted small"> {(v.source as { fileName: string }).fileName}</span>
                    ) : null}
                  </td>
                  <td className="num">{number(v.rowCount, 0)}</td>
                  <td className="small">
                    {Array.isArray(v.steps) && v.steps.length ? (v.steps as Array<{ op: string }>).map((s) => s.op).join(', ') : '—'}
                  </td>
                  <td>{dateTime(v.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      {chosen ? <Profile key={chosen} datasetId={dataset.id} number={chosen} /> : null}
      {canChange && dataset.currentVersion ? (
        <CurrentVersionCleaning datasetId={dataset.id} number={dataset.currentVersion.number} onVersion={showVersion} />
      ) : null}
      {canChange ? <Imports datasetId={dataset.id} onImported={showVersion} /> : null}
    </Page>
  );
}

/** Cleaning applies to the current version: its column names come from that version's profile. */
function CurrentVersionCleaning({ datasetId, number, onVersion }: { datasetId: string; number: number; onVersion(n: number): void }) {
  const [{ data }] = useQuery({ query: DatasetVersionProfileDocument, variables: { id: datasetId, number, rows: PREVIEW_ROWS } });
  const columns = data?.dataset?.version?.columns.map((c) => c.name) ?? [];
  return <Cleaning datasetId={datasetId} columns={columns} onApplied={onVersion} />;
}
