import { ReactNode, useEffect, useState } from 'react';
import { ApiError } from './api';
import { Key, t, useLang } from './i18n';
import { onLinkClick } from './router';

/** Shared pieces: loading and error states, figures, tables that scroll inside their own box. */

export function Link(props: { href: string; children: ReactNode; className?: string; current?: boolean }) {
  return (
    <a
      href={props.href}
      onClick={onLinkClick}
      className={props.className}
      aria-current={props.current ? 'page' : undefined}
    >
      {props.children}
    </a>
  );
}

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` (or the language) change; keeps the last answer while the next loads. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const lang = useLang();
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        live &&
        setState({
          data: null,
          error: error instanceof ApiError ? error : new ApiError(0, 'error', String(error)),
          loading: false,
        }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, lang, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

export function Loading() {
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

export function ErrorBox({ error }: { error: ApiError }) {
  return (
    <div className="error" role="alert">
      <strong>{error.status === 403 ? t('common.forbidden') : t('common.error')}</strong> {error.message}
      {error.errors.length > 0 && (
        <ul>
          {error.errors.slice(0, 10).map((e, i) => (
            <li key={i}>
              {e.field}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Empty({ text }: { text?: string }) {
  return <p className="empty">{text ?? t('common.empty')}</p>;
}

/** Loading, error or the content of a loaded value. */
export function Show<T>({ s, children }: { s: Loaded<T>; children: (data: T) => ReactNode }) {
  if (s.error) return <ErrorBox error={s.error} />;
  if (s.data === null) return <Loading />;
  // the last answer stays while the next loads (filters, pages): marked busy meanwhile
  return (
    <div className="loaded" aria-busy={s.loading}>
      {children(s.data)}
    </div>
  );
}

export function Figure({
  label,
  value,
  hint,
  title,
}: {
  label: string;
  value: string;
  hint?: string;
  title?: string;
}) {
  return (
    <div className="figure">
      <div className="figure-label">{label}</div>
      <div className="figure-value" title={title}>
        {value}
      </div>
      {hint && <div className="figure-hint">{hint}</div>}
    </div>
  );
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="card" aria-label={title}>
      <div className="card-head">
        <h2>{title}</h2>
        {actions && <div className="card-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export interface Column<T> {
  key: string;
  label: Key;
  render: (row: T) => ReactNode;
  numeric?: boolean;
}

export function Table<T>({ rows, columns, caption }: { rows: T[]; columns: Column<T>[]; caption: string }) {
  if (rows.length === 0) return <Empty />;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {t(c.label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PageTitle({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Harakah`;
  }, [title]);
  return (
    <div className="page-head">
      <h1>{title}</h1>
      {children}
    </div>
  );
}
