import { ChangeEvent, useState } from 'react';
import { ApiError, get, ImportResult, Page, post, uploadCsv } from '../api';
import { dateTime, num } from '../format';
import { Key, t } from '../i18n';
import { useCanWrite } from '../session';
import { ErrorBox, PageTitle, Section, Show, Table, useLoad } from '../ui';

interface ImportRun {
  id: string;
  resource: string;
  format: string;
  status: string;
  received: number;
  created: number;
  updated: number;
  errorCount: number;
  error: string | null;
  startedAt: string;
  errors?: { line?: number; field: string; message: string }[];
}
interface Connector {
  id: string;
  kind: string;
  name: string;
  status: string;
  lastSync: { id: string; status: string; startedAt: string; finishedAt: string | null } | null;
  nextRunAt: string | null;
  lastError: string | null;
}
interface Sync {
  id: string;
  mode: 'full' | 'incremental';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: Record<string, { fetched: number; imported: number; skipped: number; failed: number }>;
  errorCount: number;
  error: string | null;
  errors: { stream?: string; sourceId?: string; field?: string; message: string }[];
}

const SYSTEMS: Record<string, string> = { qoyod: 'Qoyod', erpnext: 'ERPNext' };

const total = (s: Sync, k: 'fetched' | 'imported') =>
  Object.values(s.progress ?? {}).reduce((n, p) => n + (p?.[k] ?? 0), 0);

/** One connector's latest syncs: what was fetched and imported, and what the source refused. */
function ConnectorSyncs({ connector, version }: { connector: Connector; version: number }) {
  const syncs = useLoad(
    () => get<Page<Sync>>(`/v1/connectors/${connector.id}/syncs`, { limit: 10 }),
    [connector.id, version],
  );
  return (
    <Section title={t('data.syncsOf', { name: connector.name })}>
      <Show s={syncs}>
        {(p) => (
          <Table
            caption={t('data.syncsOf', { name: connector.name })}
            rows={p.data}
            columns={[
              { key: 'mode', label: 'data.mode', render: (x) => t(`sync.${x.mode}` as Key) },
              { key: 'status', label: 'common.status', render: (x) => t(`status.${x.status}` as Key) },
              { key: 'started', label: 'data.started', render: (x) => dateTime(x.startedAt ?? x.queuedAt) },
              { key: 'finished', label: 'data.finished', render: (x) => dateTime(x.finishedAt) },
              {
                key: 'fetched',
                label: 'data.fetched',
                numeric: true,
                render: (x) => num(total(x, 'fetched')),
              },
              {
                key: 'imported',
                label: 'data.importedCount',
                numeric: true,
                render: (x) => num(total(x, 'imported')),
              },
              { key: 'errors', label: 'data.errors', numeric: true, render: (x) => num(x.errorCount) },
              {
                key: 'detail',
                label: 'common.error',
                render: (x) =>
                  x.errors.length > 0 ? (
                    <ul className="reasons compact">
                      {x.errors.slice(0, 5).map((e, i) => (
                        <li key={i}>
                          {e.stream ? `${t(`resource.${e.stream}` as Key)} ${e.sourceId ?? ''} · ` : ''}
                          {e.field ? `${e.field}: ` : ''}
                          {e.message}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    (x.error ?? '—')
                  ),
              },
            ]}
          />
        )}
      </Show>
    </Section>
  );
}

export const RESOURCES = [
  'customers',
  'products',
  'invoices',
  'payments',
  'credit-notes',
  'inventory',
] as const;

/** One import resource's CSV upload with a progress bar (XMLHttpRequest upload progress). */
function Upload({ resource, onDone }: { resource: string; onDone: () => void }) {
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const id = `upload-${resource}`;
  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setError(null);
    setResult(null);
    setProgress(0);
    try {
      setResult(await uploadCsv(resource, file, setProgress));
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    } finally {
      e.target.value = '';
    }
  };
  return (
    <div className="upload">
      <label htmlFor={id}>{t('data.uploadOf', { resource: t(`resource.${resource}` as Key) })}</label>
      <input id={id} type="file" accept=".csv,text/csv" onChange={choose} />
      {progress !== null && (
        <progress
          max={1}
          value={progress}
          aria-label={t('data.progress', { resource: t(`resource.${resource}` as Key) })}
        >
          {Math.round(progress * 100)}%
        </progress>
      )}
      {result && (
        <p className="notice" role="status">
          {t('data.imported', {
            received: num(result.received ?? 0),
            created: num(result.created ?? 0),
            updated: num(result.updated ?? 0),
          })}
        </p>
      )}
      {error && <ErrorBox error={error} />}
    </div>
  );
}

/** /data: import runs and their errors, CSV uploads, connectors when the service has them. */
export function DataPage() {
  const canWrite = useCanWrite();
  const runs = useLoad(() => get<Page<ImportRun>>('/v1/import/runs', { limit: 50 }), []);
  const connectors = useLoad(
    () =>
      get<{ data: Connector[] }>('/v1/connectors').catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    [],
  );
  const [syncError, setSyncError] = useState<ApiError | null>(null);
  const [syncVersion, setSyncVersion] = useState(0);
  return (
    <>
      <PageTitle title={t('data.title')} />
      {canWrite && (
        <Section title={t('data.upload')}>
          <p className="muted">{t('data.uploadHint')}</p>
          <div className="uploads">
            {RESOURCES.map((r) => (
              <Upload key={r} resource={r} onDone={runs.reload} />
            ))}
          </div>
        </Section>
      )}
      {connectors.data && (
        <Section title={t('data.connectors')}>
          {syncError && <ErrorBox error={syncError} />}
          <Table
            caption={t('data.connectors')}
            rows={connectors.data.data}
            columns={[
              { key: 'name', label: 'common.name', render: (c) => c.name },
              { key: 'kind', label: 'common.type', render: (c) => SYSTEMS[c.kind] ?? c.kind },
              {
                key: 'status',
                label: 'common.status',
                render: (c) => t(`connector.${c.status}` as Key),
              },
              {
                key: 'last',
                label: 'data.lastSync',
                render: (c) =>
                  c.lastSync
                    ? `${t(`status.${c.lastSync.status}` as Key)} · ${dateTime(c.lastSync.startedAt)}`
                    : '—',
              },
              { key: 'next', label: 'reports.nextRun', render: (c) => dateTime(c.nextRunAt) },
              { key: 'error', label: 'common.error', render: (c) => c.lastError ?? '—' },
              {
                key: 'sync',
                label: 'common.actions',
                render: (c) =>
                  canWrite ? (
                    <button
                      type="button"
                      onClick={() =>
                        post(`/v1/connectors/${c.id}/sync`).then(
                          () => {
                            setSyncVersion((v) => v + 1);
                            connectors.reload();
                          },
                          (e: unknown) =>
                            setSyncError(e instanceof ApiError ? e : new ApiError(0, 'error', String(e))),
                        )
                      }
                    >
                      {t('data.syncNow')}
                    </button>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        </Section>
      )}
      {connectors.data?.data.map((c) => (
        <ConnectorSyncs key={c.id} connector={c} version={syncVersion} />
      ))}
      <Section
        title={t('data.runs')}
        actions={
          <button type="button" onClick={runs.reload}>
            {t('common.refresh')}
          </button>
        }
      >
        <Show s={runs}>
          {(p) => (
            <Table
              caption={t('data.runs')}
              rows={p.data}
              columns={[
                {
                  key: 'resource',
                  label: 'data.resource',
                  render: (r) => t(`resource.${r.resource}` as Key),
                },
                { key: 'format', label: 'reports.format', render: (r) => r.format.toUpperCase() },
                { key: 'status', label: 'common.status', render: (r) => t(`status.${r.status}` as Key) },
                { key: 'received', label: 'data.received', numeric: true, render: (r) => num(r.received) },
                { key: 'created', label: 'data.created', numeric: true, render: (r) => num(r.created) },
                { key: 'updated', label: 'data.updated', numeric: true, render: (r) => num(r.updated) },
                { key: 'errors', label: 'data.errors', numeric: true, render: (r) => num(r.errorCount) },
                { key: 'started', label: 'data.started', render: (r) => dateTime(r.startedAt) },
                {
                  key: 'detail',
                  label: 'common.error',
                  render: (r) =>
                    r.errors && r.errors.length > 0 ? (
                      <ul className="reasons compact">
                        {r.errors.slice(0, 5).map((e, i) => (
                          <li key={i}>
                            {e.line !== undefined ? `${t('data.line', { n: num(e.line) })} · ` : ''}
                            {e.field}: {e.message}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      (r.error ?? '—')
                    ),
                },
              ]}
            />
          )}
        </Show>
      </Section>
    </>
  );
}
