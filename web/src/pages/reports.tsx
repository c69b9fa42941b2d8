import { FormEvent, useState } from 'react';
import { ApiError, apiUrl, get, Page, post } from '../api';
import { dateTime, num } from '../format';
import { Key, t } from '../i18n';
import { useCanWrite } from '../session';
import { ErrorBox, PageTitle, Section, Show, Table, useLoad } from '../ui';
import { Select } from './customers';

interface Schedule {
  id: string;
  type: string;
  cron: string;
  timezone: string;
  format: string;
  language: string;
  status: string;
  nextRunAt: string | null;
}
interface Run {
  id: string;
  scheduleId: string | null;
  type: string;
  format: string;
  trigger: string;
  status: string;
  asOf: string | null;
  queuedAt: string;
  finishedAt: string | null;
  rowCount: number | null;
  error: string | null;
}

const TYPES = ['churn-risk', 'receivables-aging', 'restock'] as const;
const FORMATS = ['json', 'csv', 'html'] as const;

/** /reports: schedules (create, pause/resume, run now) and their runs with downloads. */
export function ReportsPage() {
  const canWrite = useCanWrite();
  const schedules = useLoad(() => get<Page<Schedule>>('/v1/reports/schedules', { limit: 100 }), []);
  const runs = useLoad(() => get<Page<Run>>('/v1/reports/runs', { limit: 50 }), []);
  const [form, setForm] = useState({ type: 'churn-risk', cron: '0 8 * * 0', format: 'csv', language: 'en' });
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const act = async (f: () => Promise<unknown>, done: Key) => {
    setError(null);
    setNotice('');
    try {
      await f();
      setNotice(t(done));
      schedules.reload();
      runs.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'error', String(e)));
    }
  };
  const create = (e: FormEvent) => {
    e.preventDefault();
    void act(() => post('/v1/reports/schedules', form), 'reports.created');
  };
  return (
    <>
      <PageTitle title={t('reports.title')} />
      {error && <ErrorBox error={error} />}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {canWrite && (
        <Section title={t('reports.new')}>
          <form className="toolbar" onSubmit={create}>
            <Select
              id="r-type"
              label="reports.type"
              value={form.type}
              onChange={(v) => setForm({ ...form, type: v })}
              options={TYPES.map((x) => [x, t(`report.${x}` as Key)])}
            />
            <div className="field">
              <label htmlFor="r-cron">{t('reports.cron')}</label>
              <input
                id="r-cron"
                value={form.cron}
                onChange={(e) => setForm({ ...form, cron: e.target.value })}
                required
              />
            </div>
            <Select
              id="r-format"
              label="reports.format"
              value={form.format}
              onChange={(v) => setForm({ ...form, format: v })}
              options={FORMATS.map((x) => [x, x.toUpperCase()])}
            />
            <Select
              id="r-lang"
              label="reports.language"
              value={form.language}
              onChange={(v) => setForm({ ...form, language: v })}
              options={[
                ['en', 'English'],
                ['ar', 'العربية'],
              ]}
            />
            <button type="submit" className="primary">
              {t('reports.create')}
            </button>
          </form>
        </Section>
      )}
      <Section title={t('reports.schedules')}>
        <Show s={schedules}>
          {(p) => (
            <Table
              caption={t('reports.schedules')}
              rows={p.data}
              columns={[
                { key: 'type', label: 'reports.type', render: (s) => t(`report.${s.type}` as Key) },
                { key: 'cron', label: 'reports.cron', render: (s) => <code>{s.cron}</code> },
                { key: 'format', label: 'reports.format', render: (s) => s.format.toUpperCase() },
                { key: 'status', label: 'common.status', render: (s) => t(`status.${s.status}` as Key) },
                { key: 'next', label: 'reports.nextRun', render: (s) => dateTime(s.nextRunAt) },
                {
                  key: 'actions',
                  label: 'common.actions',
                  render: (s) =>
                    canWrite ? (
                      <span className="actions">
                        {s.status === 'paused' ? (
                          <button
                            type="button"
                            onClick={() =>
                              act(() => post(`/v1/reports/schedules/${s.id}/resume`), 'reports.resumed')
                            }
                          >
                            {t('reports.resume')}
                          </button>
                        ) : (
                          <button
                            type="button"
                            onClick={() =>
                              act(() => post(`/v1/reports/schedules/${s.id}/pause`), 'reports.paused')
                            }
                          >
                            {t('reports.pause')}
                          </button>
                        )}
                        <button
                          type="button"
                          onClick={() =>
                            act(() => post(`/v1/reports/schedules/${s.id}/run`), 'reports.queued')
                          }
                        >
                          {t('reports.runNow')}
                        </button>
                      </span>
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
          )}
        </Show>
      </Section>
      <Section
        title={t('reports.runs')}
        actions={
          <button type="button" onClick={runs.reload}>
            {t('common.refresh')}
          </button>
        }
      >
        <Show s={runs}>
          {(p) => (
            <Table
              caption={t('reports.runs')}
              rows={p.data}
              columns={[
                { key: 'type', label: 'reports.type', render: (r) => t(`report.${r.type}` as Key) },
                { key: 'trigger', label: 'reports.trigger', render: (r) => t(`trigger.${r.trigger}` as Key) },
                { key: 'status', label: 'common.status', render: (r) => t(`status.${r.status}` as Key) },
                { key: 'queued', label: 'reports.queuedAt', render: (r) => dateTime(r.queuedAt) },
                { key: 'rows', label: 'reports.rows', numeric: true, render: (r) => num(r.rowCount) },
                {
                  key: 'download',
                  label: 'common.download',
                  render: (r) =>
                    r.status === 'succeeded' ? (
                      <a href={apiUrl(`/v1/reports/runs/${r.id}/download`)} download>
                        {t('common.download')} ({r.format.toUpperCase()})
                      </a>
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
