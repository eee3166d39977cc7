// The frame of every signed-in screen: a skip link, the navigation, the language switch and the
// signed-in user with sign-out; the screen itself in <main>.
import type { ReactNode } from 'react';
import { LANGUAGES, useI18n, type Language } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/en.js';
import { Link, navigate, useLocation } from '../router.js';
import { hasRole, useSession } from '../session.js';

const NAV: Array<{ href: string; label: MessageKey; admin?: boolean }> = [
  { href: '/datasets', label: 'nav.datasets' },
  { href: '/explore', label: 'nav.explore' },
  { href: '/reports', label: 'nav.reports' },
  { href: '/analyses', label: 'nav.analyses' },
  { href: '/models', label: 'nav.models' },
  { href: '/admin', label: 'nav.admin', admin: true },
];

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <label className="language">
      <span className="visually-hidden">{t('nav.language')}</span>
      <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
        {Object.entries(LANGUAGES).map(([code, { label }]) => (
          <option key={code} value={code} lang={code === 'zh' ? 'zh-CN' : 'en'}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { session, signOut } = useSession();
  const path = useLocation().split('?')[0]!;
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <Link href="/datasets" className="brand">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          {t('app.name')}
        </Link>
        <nav aria-label={t('nav.main')}>
          <ul>
            {NAV.filter((item) => !item.admin || hasRole(session, 'ADMIN')).map((item) => (
              <li key={item.href}>
                <Link href={item.href} className={path.startsWith(item.href) ? 'active' : undefined}>
                  {t(item.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="top-end">
          <LanguageSwitch />
          <span className="who">
            {session?.user.username} <span className="role">{session ? t(`role.${session.user.role}`) : ''}</span>
          </span>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              signOut();
              navigate('/sign-in');
            }}
          >
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
