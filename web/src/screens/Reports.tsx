// Reports: every template, with its dataset, owner and version.
import { useQuery } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading, Page } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { TemplateListDocument } from '../__generated__/graphql.js';

export default function Reports() {
  const { t, dateTime } = useI18n();
  const [{ data, error }] = useQuery({ query: TemplateListDocument });
  return (
    <Page
      title={t('reports.title')}
      actions={
        <Link className="button secondary" href="/explore">
          {t('reports.newFromExplore')}
        </Link>
      }
    >
      <ErrorMessage error={error} />
      {!data ? (
        <Loading />
      ) : (
        <table className="list" aria-label={t('reports.title')}>
          <thead>
            <tr>
              <th scope="col">{t('reports.template')}</th>
              <th scope="col">{t('reports.dataset')}</th>
              <th scope="col">{t('reports.owner')}</th>
              <th scope="col" className="num">
                {t('reports.version')}
              </th>
              <th scope="col">{t('datasets.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {data.templates.map((tpl) => (
              <tr key={tpl.id}>
                <td>
                  <Link href={`/reports/${tpl.id}`}>{tpl.name}</Link>
                  {tpl.description ? <div className="muted small">{tpl.description}</div> : null}
                </td>
                <td>
                  <Link href={`/datasets/${tpl.dataset.id}`}>{tpl.dataset.name}</Link>
                </td>
                <td>{tpl.owner?.username ?? '—'}</td>
                <td className="num">{tpl.version}</td>
                <td>{dateTime(tpl.updatedAt)}</td>
              </tr>
            ))}
            {data.templates.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  {t('reports.none')}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      )}
    </Page>
  );
}
