// Which screen the location shows, for whom. Each screen is its own chunk, fetched on first
// visit; signing in needs none of them. A signed-out visitor of any route gets the sign-in form
// and, once signed in, the route they asked for.
import { lazy, Suspense, useEffect, useMemo, type ComponentType } from 'react';
import { Provider } from 'urql';
import { createApiClient } from './api/client.js';
import { Layout } from './components/Layout.js';
import { Loading } from './components/Page.js';
import { useI18n } from './i18n/i18n.js';
import { isOwnPath, matchRoute, navigate, useLocation } from './router.js';
import { SignIn } from './screens/SignIn.js';
import { hasRole, useSession } from './session.js';
import type { Role } from './__generated__/graphql.js';

type Screen = ComponentType<{ params: Record<string, string> }>;
const screen = (load: () => Promise<{ default: Screen }>) => lazy(load);

const ROUTES: Array<{ pattern: string; Screen: Screen; role?: Role }> = [
  { pattern: '/datasets', Screen: screen(() => import('./screens/Datasets.js')) },
  { pattern: '/datasets/:id', Screen: screen(() => import('./screens/DatasetPage.js')) },
  { pattern: '/explore', Screen: screen(() => import('./screens/Explore.js')) },
  { pattern: '/reports', Screen: screen(() => import('./screens/Reports.js')) },
  { pattern: '/reports/:id', Screen: screen(() => import('./screens/ReportPage.js')) },
  { pattern: '/analyses', Screen: screen(() => import('./screens/Analyses.js')) },
  { pattern: '/analyses/:id', Screen: screen(() => import('./screens/AnalysisPage.js')) },
  { pattern: '/models', Screen: screen(() => import('./screens/Models.js')) },
  { pattern: '/models/:name', Screen: screen(() => import('./screens/ModelPage.js')) },
  { pattern: '/admin', Screen: screen(() => import('./screens/Admin.js')), role: 'ADMIN' },
];

function NotFound() {
  const { t } = useI18n();
  return <h1>{t('common.notFound')}</h1>;
}

export function App() {
  const { session, signOut } = useSession();
  const location = useLocation();
  const path = location.split('?')[0]!;
  const api = useMemo(() => createApiClient(session?.token ?? null, signOut), [session?.token, signOut]);
  useEffect(() => () => api.dispose(), [api]);

  useEffect(() => {
    if (!session && path !== '/sign-in') navigate(`/sign-in?next=${encodeURIComponent(location)}`, { replace: true });
    if (session && (path === '/sign-in' || path === '/')) {
      const next = new URLSearchParams(location.split('?')[1]).get('next');
      navigate(next && isOwnPath(next) ? next : '/datasets', { replace: true });
    }
  }, [session, path, location]);

  if (!session) {
    return (
      <Provider value={api.client}>
        <SignIn />
      </Provider>
    );
  }
  const route = ROUTES.map((r) => ({ ...r, params: matchRoute(r.pattern, path) })).find((r) => r.params);
  return (
    <Provider value={api.client}>
      <Layout>
        <Suspense fallback={<Loading />}>
          {route && (!route.role || hasRole(session, route.role)) ? <route.Screen key={path} params={route.params!} /> : <NotFound />}
        </Suspense>
      </Layout>
    </Provider>
  );
}
