// One model: versions with their tensors and metrics, aliases (move one, roll one back), the
// traffic split (ADMINs), drift per feature, and the model's events live as they happen.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading, Page, Section } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { hasRole, useSession } from '../session.js';
import {
  ComputeDriftDocument,
  ModelDetailDocument,
  ModelEventsDocument,
  RollbackModelDocument,
  SetModelAliasDocument,
  SetTrafficSplitDocument,
  type ModelDetailQuery,
  type ModelEventsSubscription,
} from '../__generated__/graphql.js';

type Model = NonNullable<ModelDetailQuery['model']>;
type Event = ModelEventsSubscription['modelEvents'];

function Aliases({ model, onChanged }: { model: Model; onChanged(): void }) {
  const { t, dateTime } = useI18n();
  const { session } = useSession();
  const [alias, setAlias] = useState('staging');
  const [version, setVersion] = useState(model.versions[0]?.version ?? 1);
  const [moved, move] = useMutation(SetModelAliasDocument);
  const [rolled, rollback] = useMutation(RollbackModelDocument);
  const canMove = hasRole(session, 'ANALYST');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if ((await move({ modelName: model.name, alias, version })).data) onChanged();
  };
  return (
    <Section title={t('models.aliases')}>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t('model.alias')}</th>
            <th scope="col">{t('model.version')}</th>
            <th scope="col">{t('model.moved')}</th>
            {canMove ? <th scope="col">{t('common.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {model.aliases.map((a) => (
            <tr key={a.alias}>
              <td>
                <strong>{a.alias}</strong>
              </td>
              <td>v{a.version.version}</td>
              <td>{dateTime(a.updatedAt)}</td>
              {canMove ? (
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={t('model.rollbackAlias', { alias: a.alias })}
                    onClick={async () => (await rollback({ modelName: model.name, alias: a.alias })).data && onChanged()}
                  >
                    {t('model.rollback')}
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {canMove ? (
        <form className="inline-form" onSubmit={submit} aria-label={t('model.move')}>
          <label>
            {t('model.alias')}
            <input required value={alias} onChange={(e) => setAlias(e.target.value)} list="alias-names" />
            <datalist id="alias-names">
              <option value="production" />
              <option value="staging" />
            </datalist>
          </label>
          <label>
            {t('model.version')}
            <select value={version} onChange={(e) => setVersion(Number(e.target.value))}>
              {model.versions.map((v) => (
                <option key={v.id} value={v.version}>
                  v{v.version}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={moved.fetching}>
            {t('model.move')}
          </button>
        </form>
      ) : null}
      <ErrorMessage error={moved.error ?? rolled.error} />
    </Section>
  );
}

function TrafficSplit({ model, onChanged }: { model: Model; onChanged(): void }) {
  const { t } = useI18n();
  const [weights, setWeights] = useState<Record<number, number>>(() =>
    Object.fromEntries(
      model.versions.map((v) => [v.version, model.trafficSplit.find((w) => w.version.version === v.version)?.weight ?? 0]),
    ),
  );
  const [saved, save] = useMutation(SetTrafficSplitDocument);
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const list = Object.entries(weights)
      .filter(([, w]) => w > 0)
      .map(([version, weight]) => ({ version: Number(version), weight }));
    if ((await save({ modelName: model.name, weights: list })).data) onChanged();
  };
  return (
    <Section title={t('models.split')}>
      <form className="inline-form" onSubmit={submit} aria-label={t('models.split')}>
        {model.versions.map((v) => (
          <label key={v.id}>
            {t('model.weightOf', { version: v.version })}
            <input
              type="number"
              min={0}
              max={100}
              value={weights[v.version] ?? 0}
              onChange={(e) => setWeights({ ...weights, [v.version]: Number(e.target.value) })}
            />
          </label>
        ))}
        <output className={total === 100 ? 'ok' : 'error-text'} aria-live="polite">
          {t('model.total', { total })}
        </output>
        <button type="submit" disabled={total !== 100 || saved.fetching}>
          {t('model.saveSplit')}
        </button>
      </form>
      <ErrorMessage error={saved.error} />
    </Section>
  );
}

function Events({ model }: { model: Model }) {
  const { t, dateTime } = useI18n();
  const [live] = useSubscription({ query: ModelEventsDocument, variables: { modelName: model.name } }, (seen: Event[] = [], e) => [
    e.modelEvents,
    ...seen,
  ]);
  const seen = new Set((live.data ?? []).map((e) => e.id));
  const events = [...(live.data ?? []), ...model.events.filter((e) => !seen.has(e.id))];
  return (
    <Section title={t('model.events')}>
      <p className="muted small" role="status">
        {live.error ? t('model.eventsOffline') : t('model.eventsLive')}
      </p>
      <ol className="events" aria-live="polite" aria-label={t('model.events')}>
        {events.map((e) => (
          <li key={e.id} className={seen.has(e.id) ? 'new' : undefined}>
            <span className={`badge event-${e.kind}`}>{e.kind}</span> {e.message}{' '}
            <span className="muted small">{dateTime(e.createdAt)}</span>
          </li>
        ))}
      </ol>
    </Section>
  );
}

export default function ModelPage({ params }: { params: Record<string, string> }) {
  const { t, number, dateTime } = useI18n();
  const { session } = useSession();
  const [{ data, error }, refetch] = useQuery({ query: ModelDetailDocument, variables: { name: params.name! } });
  const [drift, computeDrift] = useMutation(ComputeDriftDocument);
  const model = data?.model;
  if (error) return <ErrorMessage error={error} />;
  if (!model) return <Loading />;
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  return (
    <Page title={model.name}>
      <p className="muted">
        {model.task} {model.description ? `· ${model.description}` : ''} · {t('dataset.created')} {dateTime(model.createdAt)}
      </p>
      <Aliases model={model} onChanged={refresh} />
      {hasRole(session, 'ADMIN') ? (
        <TrafficSplit key={model.trafficSplit.map((w) => `${w.version.version}:${w.weight}`).join()} model={model} onChanged={refresh} />
      ) : null}
      <Section title={t('models.versions')}>
        {model.versions.map((v) => (
          <article key={v.id} className="version">
            <h3>
              v{v.version} <code className="small">{v.sha256.slice(0, 16)}</code>{' '}
              <span className="muted small">
                {number(v.sizeBytes / 1024, 1)} KB · {dateTime(v.createdAt)}
              </span>
            </h3>
            <p className="small">
              {t('model.inputs')}: {v.inputs.map((i) => `${i.name} ${i.type}[${i.shape.join('×')}]`).join(', ')} · {t('model.outputs')}:{' '}
              {v.outputs.map((o) => `${o.name} ${o.type}[${o.shape.join('×')}]`).join(', ')}
            </p>
            {v.metrics ? (
              <p className="small">
                <code>{JSON.stringify(v.metrics)}</code>
              </p>
            ) : null}
            <div className="row">
              <h4>{t('model.drift')}</h4>
              {hasRole(session, 'ANALYST') ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={async () => (await computeDrift({ modelName: model.name, version: v.version })).data && refresh()}
                >
                  {t('model.computeDrift')}
                </button>
              ) : null}
            </div>
            {v.drift.length ? (
              <table className="list">
                <thead>
                  <tr>
                    <th scope="col">{t('model.feature')}</th>
                    <th scope="col" className="num">
                      PSI
                    </th>
                    <th scope="col">{t('model.drifted')}</th>
                    <th scope="col">{t('model.window')}</th>
                  </tr>
                </thead>
                <tbody>
                  {v.drift.map((d, i) => (
                    <tr key={i}>
                      <td>{d.feature}</td>
                      <td className="num">{number(d.psi, 3)}</td>
                      <td>{d.drifted ? <strong className="error-text">{t('common.yes')}</strong> : t('common.no')}</td>
                      <td className="small">
                        {dateTime(d.windowStart)} – {dateTime(d.windowEnd)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted small">{t('model.noDrift')}</p>
            )}
          </article>
        ))}
        <ErrorMessage error={drift.error} />
      </Section>
      <Events model={model} />
    </Page>
  );
}
