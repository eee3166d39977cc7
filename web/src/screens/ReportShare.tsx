// Sharing a report: the link to it with the parameters it is shown with (for anyone signed in who
// may read it), and public snapshot links — the report frozen as it renders now, readable without
// signing in until the link expires or is revoked — made, listed and revoked by ANALYSTs and ADMINs
// while the server allows them.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Section } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { reportPath, type ReportParams } from '../lib/reportParams.js';
import { hasRole, useSession } from '../session.js';
import { CreateSnapshotLinkDocument, ReportSnapshotLinksDocument, RevokeSnapshotLinkDocument } from '../__generated__/graphql.js';

const LIFETIMES_HOURS = [24, 168, 720] as const;

function SnapshotLinks({ templateId, params }: { templateId: string; params: ReportParams }) {
  const { t, dateTime } = useI18n();
  const { session } = useSession();
  // An ADMIN sees everyone's links: whose each is.
  const everyone = hasRole(session, 'ADMIN');
  const [hours, setHours] = useState<number>(168);
  const [{ data, error }, refetch] = useQuery({ query: ReportSnapshotLinksDocument, variables: { templateId } });
  const [created, create] = useMutation(CreateSnapshotLinkDocument);
  const [revoked, revoke] = useMutation(RevokeSnapshotLinkDocument);
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  if (error) return <ErrorMessage error={error} />;
  if (!data) return null;
  if (!data.snapshotLinksEnabled) return <p className="muted">{t('share.snapshotsOff')}</p>;
  const now = Date.now();
  return (
    <>
      <h3>{t('share.snapshots')}</h3>
      <p className="muted small">{t('share.snapshotsHelp')}</p>
      <form
        className="inline-form"
        aria-label={t('share.createSnapshot')}
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await create({ templateId, params, expiresInHours: hours });
          if (r.data) refresh();
        }}
      >
        <label>
          {t('share.expiresIn')}
          <select value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {LIFETIMES_HOURS.map((h) => (
              <option key={h} value={h}>
                {t(`share.hours.${h}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={created.fetching}>
          {t('share.createSnapshot')}
        </button>
      </form>
      <ErrorMessage error={created.error ?? revoked.error} />
      {data.snapshotLinks.length ? (
        <table className="list" aria-label={t('share.snapshots')}>
          <thead>
            <tr>
              <th scope="col">{t('share.link')}</th>
              <th scope="col">{t('schedules.params')}</th>
              {everyone ? <th scope="col">{t('share.madeBy')}</th> : null}
              <th scope="col">{t('share.expires')}</th>
              <th scope="col">{t('schedules.state')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.snapshotLinks.map((link) => {
              const state = link.revokedAt ? 'revoked' : Date.parse(link.expiresAt) <= now ? 'expired' : 'live';
              const page = `${link.url}/print`;
              // Each row's controls named apart: the link's parameters and expiry.
              const which = `${JSON.stringify(link.params)}, ${dateTime(link.expiresAt)}`;
              return (
                <tr key={link.id}>
                  <td>
                    {state === 'live' ? (
                      <>
                        <a href={page} target="_blank" rel="noreferrer noopener" aria-label={`${t('share.open')}: ${which}`}>
                          {t('share.open')}
                        </a>{' '}
                        <CopyButton text={page} label={`${t('share.copySnapshot')}: ${which}`} />
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="small">
                    <code>{JSON.stringify(link.params)}</code>
                  </td>
                  {everyone ? <td>{link.createdBy?.username ?? '—'}</td> : null}
                  <td>{dateTime(link.expiresAt)}</td>
                  <td>{t(`share.state.${state}`)}</td>
                  <td className="actions">
                    {state === 'live' ? (
                      <button
                        type="button"
                        className="danger"
                        aria-label={`${t('share.revoke')}: ${which}`}
                        onClick={async () => {
                          const r = await revoke({ id: link.id });
                          if (r.data) refresh();
                        }}
                      >
                        {t('share.revoke')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

export function ReportShare({ templateId, params }: { templateId: string; params: ReportParams }) {
  const { t } = useI18n();
  const { session } = useSession();
  // Every value named (not only those off their default): the link keeps its meaning if the template's defaults change.
  const link = `${location.origin}${reportPath(templateId, params)}`;
  return (
    <Section title={t('share.title')}>
      <p className="muted small">{t('share.linkHelp')}</p>
      <div className="inline-form">
        <label className="grow">
          {t('share.link')}
          <input readOnly value={link} onFocus={(e) => e.target.select()} />
        </label>
        <CopyButton text={link} label={t('share.copyLink')} />
      </div>
      {hasRole(session, 'ANALYST') ? <SnapshotLinks templateId={templateId} params={params} /> : null}
    </Section>
  );
}
