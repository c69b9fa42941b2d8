import { ComponentType, lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError, get, Me, patch, post, setApiLanguage, setCsrfToken, setOnUnauthorized } from './api';
import { setCurrency } from './format';
import { browserLang, getLang, isLang, Key, Lang, setLang, t, useLang } from './i18n';
import { navigate, useLocation } from './router';
import { SessionContext } from './session';
import { ErrorBox, Link, Loading } from './ui';
import { LoginPage } from './pages/login';
import { FreshnessChip } from './freshness';
/** Each page is its own chunk (ECharts with the pages that draw): the sign-in page loads none of them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page has props of its own
function page<M extends Record<K, ComponentType<any>>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
) {
  return lazy(async () => ({ default: (await load())[name] }));
}
const OverviewPage = page(() => import('./pages/overview'), 'OverviewPage');
const CustomersPage = page(() => import('./pages/customers'), 'CustomersPage');
const CustomerPage = page(() => import('./pages/customer'), 'CustomerPage');
const SegmentsPage = page(() => import('./pages/segments'), 'SegmentsPage');
const ProfitabilityPage = page(() => import('./pages/profitability'), 'ProfitabilityPage');
const ReceivablesPage = page(() => import('./pages/receivables'), 'ReceivablesPage');
const ChurnPage = page(() => import('./pages/churn'), 'ChurnPage');
const RestockPage = page(() => import('./pages/restock'), 'RestockPage');
const ReportsPage = page(() => import('./pages/reports'), 'ReportsPage');
const DataPage = page(() => import('./pages/data'), 'DataPage');
const SettingsPage = page(() => import('./pages/settings'), 'SettingsPage');

const NAV: { href: string; label: Key }[] = [
  { href: '/', label: 'nav.overview' },
  { href: '/customers', label: 'nav.customers' },
  { href: '/segments', label: 'nav.segments' },
  { href: '/profitability', label: 'nav.profitability' },
  { href: '/receivables', label: 'nav.receivables' },
  { href: '/churn', label: 'nav.churn' },
  { href: '/restock', label: 'nav.restock' },
  { href: '/reports', label: 'nav.reports' },
  { href: '/data', label: 'nav.data' },
  { href: '/settings', label: 'nav.settings' },
];

function applyLang(lang: Lang): void {
  setLang(lang);
  setApiLanguage(lang);
}

/** ?lang=ar|en in the address, taken once and removed from it. */
function langFromQuery(): Lang | null {
  const p = new URLSearchParams(location.search);
  const l = p.get('lang');
  if (!isLang(l)) return null;
  p.delete('lang');
  const qs = p.toString();
  history.replaceState(null, '', location.pathname + (qs ? `?${qs}` : ''));
  return l;
}

export function App() {
  const { path } = useLocation();
  useLang();
  const [me, setMe] = useState<Me | null>(null);
  const [state, setState] = useState<'loading' | 'in' | 'out' | 'error'>('loading');
  const [error, setError] = useState<ApiError | null>(null);
  // bumped to show the page again with a newer snapshot (FreshnessChip)
  const [shown, setShown] = useState(0);

  const signIn = useCallback(async (m: Me, wanted: Lang | null) => {
    setCsrfToken(m.csrfToken);
    setCurrency(m.tenant.currency);
    let lang: Lang = wanted ?? (isLang(m.user.locale) ? m.user.locale : browserLang());
    if (wanted && wanted !== m.user.locale) {
      try {
        m = await patch<Me>('/v1/auth/me', { locale: wanted });
      } catch {
        // the choice still applies to this visit
      }
      lang = wanted;
    }
    applyLang(lang);
    setMe(m);
    setState('in');
  }, []);

  useEffect(() => {
    const wanted = langFromQuery();
    applyLang(wanted ?? browserLang());
    setOnUnauthorized(() => {
      setMe(null);
      setState('out');
    });
    // on /login a person is signing in: no look-up (its 401 would be a console error in the browser)
    if (location.pathname === '/login') {
      setState('out');
      return;
    }
    get<Me>('/v1/auth/me').then(
      (m) => signIn(m, wanted),
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setState('out');
        else {
          setError(e instanceof ApiError ? e : new ApiError(0, 'error', String(e)));
          setState('error');
        }
      },
    );
  }, [signIn]);

  useEffect(() => {
    if (state === 'out' && path !== '/login') {
      navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, true);
    }
    if (state === 'in' && path === '/login') {
      const next = new URLSearchParams(location.search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', true);
    }
  }, [state, path]);

  if (state === 'loading') return <Loading />;
  if (state === 'error' && error) return <ErrorBox error={error} />;
  if (state === 'out' || !me) {
    return path === '/login' ? (
      <LoginPage onLogin={(m) => signIn(m, getLang())} onLang={applyLang} />
    ) : (
      <Loading />
    );
  }

  const switchLang = async (lang: Lang) => {
    applyLang(lang);
    try {
      setMe(await patch<Me>('/v1/auth/me', { locale: lang }));
    } catch {
      // shown in the new language anyway
    }
  };
  const logout = async () => {
    try {
      await post('/v1/auth/logout');
    } finally {
      setMe(null);
      setState('out');
      navigate('/login', true);
    }
  };

  return (
    <SessionContext.Provider value={me}>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          {t('app.name')}
        </Link>
        <span className="tenant">{me.tenant.name}</span>
        <div className="topbar-end">
          <FreshnessChip shownAt={`${path}#${shown}`} onReload={() => setShown((n) => n + 1)} />
          <button
            type="button"
            className="link-button"
            lang={getLang() === 'ar' ? 'en' : 'ar'}
            onClick={() => switchLang(getLang() === 'ar' ? 'en' : 'ar')}
          >
            {t('nav.otherLanguage')}
          </button>
          <span className="user">
            {me.user.name || me.user.email} · {t(me.role === 'admin' ? 'role.admin' : 'role.viewer')}
          </span>
          <button type="button" className="link-button" onClick={logout}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label={t('nav.label')}>
        <ul>
          {NAV.map((n) => (
            <li key={n.href}>
              <Link
                href={n.href}
                current={n.href === '/' ? path === '/' : path === n.href || path.startsWith(`${n.href}/`)}
              >
                {t(n.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Page key={shown} path={path} />
        </Suspense>
      </main>
    </SessionContext.Provider>
  );
}

function Page({ path }: { path: string }) {
  if (path === '/') return <OverviewPage />;
  if (path === '/customers') return <CustomersPage />;
  const m = /^\/customers\/([^/]+)$/.exec(path);
  if (m) return <CustomerPage externalId={decodeURIComponent(m[1]!)} />;
  switch (path) {
    case '/segments':
      return <SegmentsPage />;
    case '/profitability':
      return <ProfitabilityPage />;
    case '/receivables':
      return <ReceivablesPage />;
    case '/churn':
      return <ChurnPage />;
    case '/restock':
      return <RestockPage />;
    case '/reports':
      return <ReportsPage />;
    case '/data':
      return <DataPage />;
    case '/settings':
      return <SettingsPage />;
    default:
      return (
        <div>
          <h1>{t('notFound.title')}</h1>
          <p>{t('notFound.text')}</p>
          <Link href="/">{t('nav.overview')}</Link>
        </div>
      );
  }
}
