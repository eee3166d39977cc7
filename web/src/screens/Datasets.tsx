// Datasets: every dataset with its size and source, and a form to create one (analysts).
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading, Page, Section } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';
import { hasRole, useSession } from '../session.js';
import { CreateDatasetDocument, DatasetListDocument } from '../__generated__/graphql.js';

function CreateDataset() {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [result, create] = useMutation(CreateDatasetDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create({ input: { name, description: description || null } });
    if (r.data) navigate(`/datasets/${r.data.createDataset.id}`);
  };
  return (
    <Section title={t('datasets.create')}>
      <form className="inline-form" onSubmit={submit}>
        <label>
          {t('datasets.name')}
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('datasets.description')}
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <button type="submit" disabled={result.fetching}>
          {t('datasets.createButton')}
        </button>
      </form>
      <ErrorMessage error={result.error} />
    </Section>
  );
}

export default function Datasets() {
  const { t, number, dateTime } = useI18n();
  const { session } = useSession();
  const [{ data, error, fetching }] = useQuery({ query: DatasetListDocument });
  const datasets = data?.datasets;

  // How long a visit takes to show the list (read by the browser tests, and by anyone in devtools).
  useEffect(() => {
    if (datasets && !performance.getEntriesByName('datasets-list-rendered').length) performance.mark('datasets-list-rendered');
  }, [datasets]);

  return (
    <Page title={t('datasets.title')}>
      {hasRole(session, 'ANALYST') ? <CreateDataset /> : null}
      <ErrorMessage error={error} />
      {!datasets && fetching ? <Loading /> : null}
      {datasets ? (
        <table className="list" aria-label={t('datasets.title')}>
          <thead>
            <tr>
              <th scope="col">{t('datasets.name')}</th>
              <th scope="col">{t('datasets.source')}</th>
              <th scope="col" className="num">
                {t('datasets.rows')}
              </th>
              <th scope="col" className="num">
                {t('datasets.version')}
              </th>
              <th scope="col">{t('datasets.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link href={`/datasets/${d.id}`}>{d.name}</Link>
                  {d.description ? <div className="muted small">{d.description}</div> : null}
                </td>
                <td>{d.sourceKind ?? '—'}</td>
                <td className="num">{number(d.rowCount, 0)}</td>
                <td className="num">{d.currentVersion ? `v${d.currentVersion.number}` : '—'}</td>
                <td>{dateTime(d.updatedAt)}</td>
              </tr>
            ))}
            {datasets.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  {t('datasets.none')}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}
