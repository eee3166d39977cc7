// Models: every model in the registry with its versions, aliases and traffic split.
import { useQuery } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading, Page } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { ModelListDocument } from '../__generated__/graphql.js';

export default function Models() {
  const { t } = useI18n();
  const [{ data, error }] = useQuery({ query: ModelListDocument });
  return (
    <Page title={t('models.title')}>
      <ErrorMessage error={error} />
      {!data ? (
        <Loading />
      ) : (
        <table className="list" aria-label={t('models.title')}>
          <thead>
            <tr>
              <th scope="col">{t('models.name')}</th>
              <th scope="col">{t('models.task')}</th>
              <th scope="col" className="num">
                {t('models.versions')}
              </th>
              <th scope="col">{t('models.aliases')}</th>
              <th scope="col">{t('models.split')}</th>
            </tr>
          </thead>
          <tbody>
            {data.models.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link href={`/models/${encodeURIComponent(m.name)}`}>{m.name}</Link>
                  {m.description ? <div className="muted small">{m.description}</div> : null}
                </td>
                <td>{m.task}</td>
                <td className="num">{m.versions.length}</td>
                <td>
                  {m.aliases.map((a) => (
                    <span key={a.alias} className="badge">
                      {a.alias} → v{a.version.version}
                    </span>
                  ))}
                </td>
                <td className="small">
                  {m.trafficSplit.length ? m.trafficSplit.map((w) => `v${w.version.version} ${w.weight}%`).join(' · ') : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
