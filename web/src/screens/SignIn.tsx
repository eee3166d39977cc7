// Signing in: a username and a password, labelled; the session is kept for this tab (see
// session.tsx). Part of the first chunk: nothing else is needed before signing in.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { LanguageSwitch } from '../components/Layout.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session.js';
import { SignInDocument } from '../__generated__/graphql.js';

export function SignIn() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [result, login] = useMutation(SignInDocument);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await login({ username, password });
    if (r.data) signIn(r.data.login);
  };

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <div className="sign-in-head">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <h1>{t('app.name')}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t('signIn.intro')}</p>
        <form onSubmit={submit} aria-label={t('signIn.title')}>
          <label htmlFor="username">{t('signIn.username')}</label>
          <input
            id="username"
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
          <label htmlFor="password">{t('signIn.password')}</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <ErrorMessage error={result.error} />
          <button type="submit" disabled={result.fetching}>
            {result.fetching ? t('signIn.signingIn') : t('signIn.submit')}
          </button>
        </form>
      </div>
    </main>
  );
}
