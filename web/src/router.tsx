// Client-side routes on the History API: a path per screen, so a reload or a shared link opens
// the same screen (the gateway answers every app route with the page). Small on purpose.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const CHANGE = 'reportgraph:navigate';

const subscribe = (onChange: () => void) => {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
};

/** The current path and query (`/datasets/42?version=2`). */
export const useLocation = () =>
  useSyncExternalStore(
    subscribe,
    () => `${location.pathname}${location.search}`,
    () => '/',
  );

export function navigate(to: string, { replace = false } = {}): void {
  if (to === `${location.pathname}${location.search}`) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

/**
 * Matches `/datasets/:id` against a path; answers the parameters, decoded, or null.
 * @example matchRoute('/models/:name', '/models/forecast-ar') // { name: 'forecast-ar' }
 */
export function matchRoute(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('?')[0]!.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(got[i]!);
    else if (part !== got[i]) return null;
  }
  return params;
}

/** The query string's parameters of the current location. */
export const useSearchParams = () => new URLSearchParams(useLocation().split('?')[1] ?? '');

/** An anchor that navigates in the app (a modified click still opens a new tab). */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const follow = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  const current = useLocation().split('?')[0];
  return <a href={href} onClick={follow} aria-current={current === href ? 'page' : undefined} {...rest} />;
}

/**
 * Whether `next` (a sign-in's `?next=`) is a path of this app: relative to this origin, not
 * `//host`, `/\host` or a scheme that a browser would read as another site.
 */
export function isOwnPath(next: string, origin = location.origin): boolean {
  if (!next.startsWith('/')) return false;
  try {
    return new URL(next, origin).origin === origin;
  } catch {
    return false;
  }
}
