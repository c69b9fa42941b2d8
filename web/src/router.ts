import { MouseEvent, useSyncExternalStore } from 'react';

/** A small history router: the path and query of the address bar, and navigation without reloads. */
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

export function useLocation(): { path: string; search: string } {
  const href = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => location.pathname + location.search,
  );
  const i = href.indexOf('?');
  return { path: i < 0 ? href : href.slice(0, i), search: i < 0 ? '' : href.slice(i) };
}

/** Left clicks on an in-app link navigate without a reload; others (new tab…) behave as links do. */
export function onLinkClick(e: MouseEvent<HTMLAnchorElement>): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = e.currentTarget.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('/v1/')) return;
  e.preventDefault();
  navigate(href);
}
