// Administration (ADMINs): users and their roles, API keys for BI tools (the key is shown once),
// and persisted operations with a ready URL and curl line for BI tools.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading, Page, Section } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { curlCommand, persistedUrl, variablePlaceholders } from '../lib/biTools.js';
import { useSession } from '../session.js';
import {
  ApiKeyListDocument,
  CreateApiKeyDocument,
  CreateUserDocument,
  PersistedOperationListDocument,
  RegisterPersistedOperationDocument,
  RevokeApiKeyDocument,
  RevokePersistedOperationDocument,
  UpdateUserDocument,
  UserListDocument,
  type Role,
} from '../__generated__/graphql.js';

const ROLES: Role[] = ['VIEWER', 'ANALYST', 'ADMIN'];

function Users() {
  const { t, dateTime } = useI18n();
  const { session } = useSession();
  const [{ data, error }, refetch] = useQuery({ query: UserListDocument });
  const [created, create] = useMutation(CreateUserDocument);
  const [updated, update] = useMutation(UpdateUserDocument);
  const [form, setForm] = useState({ username: '', password: '', role: 'VIEWER' as Role });
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  return (
    <Section title={t('admin.users')}>
      <ErrorMessage error={error ?? updated.error} />
      {!data ? (
        <Loading />
      ) : (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('signIn.username')}</th>
              <th scope="col">{t('admin.role')}</th>
              <th scope="col">{t('admin.state')}</th>
              <th scope="col">{t('dataset.created')}</th>
            </tr>
          </thead>
          <tbody>
            {data.users.map((u) => (
              <tr key={u.id}>
                <td>{u.username}</td>
                <td>
                  <label>
                    <span className="visually-hidden">{t('admin.roleOf', { user: u.username })}</span>
                    <select
                      value={u.role}
                      disabled={u.id === session?.user.id}
                      onChange={async (e) => (await update({ id: u.id, input: { role: e.target.value as Role } })).data && refresh()}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`role.${r}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                </td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    disabled={u.id === session?.user.id}
                    onClick={async () => (await update({ id: u.id, input: { disabled: !u.disabledAt } })).data && refresh()}
                  >
                    {u.disabledAt ? t('admin.enable') : t('admin.disable')}
                  </button>{' '}
                  {u.disabledAt ? <span className="muted small">{t('admin.disabledSince', { at: dateTime(u.disabledAt) })}</span> : null}
                </td>
                <td>{dateTime(u.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="inline-form"
        aria-label={t('admin.createUser')}
        onSubmit={async (e: FormEvent) => {
          e.preventDefault();
          if ((await create({ input: form })).data) {
            setForm({ username: '', password: '', role: 'VIEWER' });
            refresh();
          }
        }}
      >
        <label>
          {t('signIn.username')}
          <input required autoComplete="off" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
        </label>
        <label>
          {t('signIn.password')}
          <input
            required
            type="password"
            autoComplete="new-password"
            minLength={8}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </label>
        <label>
          {t('admin.role')}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={created.fetching}>
          {t('admin.createUser')}
        </button>
      </form>
      <ErrorMessage error={created.error} />
    </Section>
  );
}

function ApiKeys() {
  const { t, dateTime } = useI18n();
  const [{ data, error }, refetch] = useQuery({ query: ApiKeyListDocument });
  const [created, create] = useMutation(CreateApiKeyDocument);
  const [revoked, revoke] = useMutation(RevokeApiKeyDocument);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('VIEWER');
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  return (
    <Section title={t('admin.apiKeys')}>
      <form
        className="inline-form"
        aria-label={t('admin.createKey')}
        onSubmit={async (e: FormEvent) => {
          e.preventDefault();
          const r = await create({ name, role });
          if (r.data) {
            setShown({ name: r.data.createApiKey.apiKey.name, key: r.data.createApiKey.key });
            setName('');
            refresh();
          }
        }}
      >
        <label>
          {t('admin.keyName')}
          <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="Excel – finance" />
        </label>
        <label>
          {t('admin.role')}
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={created.fetching}>
          {t('admin.createKey')}
        </button>
      </form>
      {shown ? (
        <div className="once" role="status">
          <p>
            <strong>{t('admin.keyOnce', { name: shown.name })}</strong>
          </p>
          <p className="row">
            <code className="secret" data-testid="new-api-key">
              {shown.key}
            </code>
            <CopyButton text={shown.key} label={t('admin.copyKey')} />
            <button type="button" className="link" onClick={() => setShown(null)}>
              {t('admin.hideKey')}
            </button>
          </p>
        </div>
      ) : null}
      <ErrorMessage error={error ?? created.error ?? revoked.error} />
      {data ? (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('admin.keyName')}</th>
              <th scope="col">{t('admin.prefix')}</th>
              <th scope="col">{t('admin.role')}</th>
              <th scope="col">{t('dataset.created')}</th>
              <th scope="col">{t('share.madeBy')}</th>
              <th scope="col">{t('admin.lastUsed')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.apiKeys.map((k) => (
              <tr key={k.id} className={k.revokedAt ? 'revoked' : undefined}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{t(`role.${k.role}`)}</td>
                <td>{dateTime(k.createdAt)}</td>
                <td>
                  {k.createdBy?.username ?? '—'}
                  {/* A key a disabled ADMIN made still works until revoked: said where it is seen. */}
                  {k.createdBy?.disabledAt && !k.revokedAt ? <span className="badge">{t('admin.makerDisabled')}</span> : null}
                </td>
                <td>{dateTime(k.lastUsedAt)}</td>
                <td>
                  {k.revokedAt ? (
                    <span className="muted">{t('admin.revokedAt', { at: dateTime(k.revokedAt) })}</span>
                  ) : (
                    <button type="button" className="danger" onClick={async () => (await revoke({ id: k.id })).data && refresh()}>
                      {t('admin.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}

function PersistedOperations() {
  const { t, dateTime } = useI18n();
  const [{ data, error }, refetch] = useQuery({ query: PersistedOperationListDocument });
  const [registered, register] = useMutation(RegisterPersistedOperationDocument);
  const [revoked, revoke] = useMutation(RevokePersistedOperationDocument);
  const [form, setForm] = useState({ name: '', document: '' });
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  const origin = location.origin;
  return (
    <Section title={t('admin.operations')}>
      <p className="muted small">{t('admin.operationsHelp')}</p>
      <form
        className="stack"
        aria-label={t('admin.register')}
        onSubmit={async (e: FormEvent) => {
          e.preventDefault();
          if ((await register(form)).data) {
            setForm({ name: '', document: '' });
            refresh();
          }
        }}
      >
        <label>
          {t('admin.operationName')}
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          {t('admin.document')}
          <textarea
            required
            rows={4}
            className="mono"
            placeholder='query Revenue($id: ID!) { datasetQuery(input: { datasetId: $id, dimensions: ["region"], measures: [{ column: "revenue", agg: SUM }] }) { columns { name } rows } }'
            value={form.document}
            onChange={(e) => setForm({ ...form, document: e.target.value })}
          />
        </label>
        <button type="submit" disabled={registered.fetching}>
          {t('admin.register')}
        </button>
      </form>
      <ErrorMessage error={error ?? registered.error ?? revoked.error} />
      {data ? (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('admin.operationName')}</th>
              <th scope="col">{t('admin.forBiTools')}</th>
              <th scope="col">{t('dataset.created')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.persistedOperations.map((op) => {
              const variables = variablePlaceholders(op.document);
              return (
                <tr key={op.id} className={op.revokedAt ? 'revoked' : undefined}>
                  <td>
                    {op.name}
                    <div className="muted small">
                      <code>{op.id.slice(0, 16)}…</code>
                    </div>
                  </td>
                  <td className="small">
                    <code className="wrap">{curlCommand(origin, op.id, variables)}</code>
                    <div>
                      <CopyButton text={curlCommand(origin, op.id, variables)} label={t('admin.copyCurl', { name: op.name })} />
                      {' · '}
                      <CopyButton text={persistedUrl(origin, op.id, variables)} label={t('admin.copyUrl', { name: op.name })} />{' '}
                      <span className="muted">{t('admin.urlHint')}</span>
                    </div>
                  </td>
                  <td>{dateTime(op.createdAt)}</td>
                  <td>
                    {op.revokedAt ? (
                      <span className="muted">{t('admin.revokedAt', { at: dateTime(op.revokedAt) })}</span>
                    ) : (
                      <button type="button" className="danger" onClick={async () => (await revoke({ id: op.id })).data && refresh()}>
                        {t('admin.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}

export default function Admin() {
  const { t } = useI18n();
  return (
    <Page title={t('admin.title')}>
      <Users />
      <ApiKeys />
      <PersistedOperations />
    </Page>
  );
}
