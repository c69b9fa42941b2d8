import { FormEvent, useEffect, useState } from 'react';
import { ApiError, get, patch, post, put } from '../api';
import { dateTime } from '../format';
import { Key, t } from '../i18n';
import { useCanWrite, useSession } from '../session';
import { ErrorBox, PageTitle, Section, Show, Table, useLoad } from '../ui';
import { Select } from './customers';

type Settings = Record<string, string | number | null>;
interface User {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'viewer';
  disabledAt: string | null;
  lastLoginAt: string | null;
}

/** The analytics settings the form edits; each is a number or a decimal string as the API keeps it. */
const FIELDS: { key: string; label: Key; decimal?: boolean; nullable?: boolean }[] = [
  { key: 'rfmWindowDays', label: 'settings.rfmWindowDays', nullable: true },
  { key: 'newDays', label: 'settings.newDays' },
  { key: 'lapseDays', label: 'settings.lapseDays' },
  { key: 'pAliveThreshold', label: 'settings.pAliveThreshold' },
  { key: 'paymentTermsDays', label: 'settings.paymentTermsDays' },
  { key: 'annualCreditRate', label: 'settings.annualCreditRate', decimal: true },
  { key: 'serviceLevel', label: 'settings.serviceLevel' },
  { key: 'coverDays', label: 'settings.coverDays' },
  { key: 'restockWindowDays', label: 'settings.restockWindowDays' },
  { key: 'leadTimeDays', label: 'settings.leadTimeDays' },
];

function SettingsForm({ initial, canWrite }: { initial: Settings; canWrite: boolean }) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      FIELDS.map((f) => [
        f.key,
        initial[f.key] === null || initial[f.key] === undefined ? '' : String(initial[f.key]),
      ]),
    ),
  );
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    const body: Record<string, string | number | null> = {};
    for (const f of FIELDS) {
      const v = values[f.key]!.trim();
      body[f.key] = v === '' && f.nullable ? null : f.decimal ? v : Number(v);
    }
    try {
      await put('/v1/settings', body);
      setSaved(true);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    }
  };
  return (
    <form className="settings-form" onSubmit={submit}>
      <fieldset disabled={!canWrite}>
        <legend className="sr-only">{t('settings.analytics')}</legend>
        {FIELDS.map((f) => (
          <div className="field" key={f.key}>
            <label htmlFor={`s-${f.key}`}>{t(f.label)}</label>
            <input
              id={`s-${f.key}`}
              name={f.key}
              inputMode="decimal"
              value={values[f.key]}
              onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
            />
          </div>
        ))}
      </fieldset>
      {error && <ErrorBox error={error} />}
      {saved && (
        <p className="notice" role="status">
          {t('settings.saved')}
        </p>
      )}
      {!canWrite && <p className="muted">{t('settings.viewerNote')}</p>}
      <button type="submit" className="primary" disabled={!canWrite}>
        {t('common.save')}
      </button>
    </form>
  );
}

function Users() {
  const me = useSession();
  const users = useLoad(
    () => get<User[] | { data: User[] }>('/v1/users').then((r) => ({ data: Array.isArray(r) ? r : r.data })),
    [],
  );
  const [form, setForm] = useState({ email: '', name: '', password: '', role: 'viewer' });
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const act = async (f: () => Promise<unknown>, done: Key) => {
    setError(null);
    setNotice('');
    try {
      await f();
      setNotice(t(done));
      users.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'error', String(e)));
    }
  };
  return (
    <Section title={t('settings.users')}>
      {error && <ErrorBox error={error} />}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => post('/v1/users', form), 'settings.userCreated');
        }}
      >
        <div className="field">
          <label htmlFor="u-email">{t('login.email')}</label>
          <input
            id="u-email"
            type="email"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="u-name">{t('common.name')}</label>
          <input
            id="u-name"
            required
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="u-password">{t('login.password')}</label>
          <input
            id="u-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </div>
        <Select
          id="u-role"
          label="settings.role"
          value={form.role}
          onChange={(v) => setForm({ ...form, role: v })}
          options={[
            ['viewer', t('role.viewer')],
            ['admin', t('role.admin')],
          ]}
        />
        <button type="submit" className="primary">
          {t('settings.addUser')}
        </button>
      </form>
      <Show s={users}>
        {(u) => (
          <Table
            caption={t('settings.users')}
            rows={u.data}
            columns={[
              { key: 'name', label: 'common.name', render: (x) => x.name },
              { key: 'email', label: 'login.email', render: (x) => x.email },
              {
                key: 'role',
                label: 'settings.role',
                render: (x) => t(x.role === 'admin' ? 'role.admin' : 'role.viewer'),
              },
              {
                key: 'status',
                label: 'common.status',
                render: (x) => (x.disabledAt ? t('settings.disabled') : t('settings.enabled')),
              },
              { key: 'last', label: 'settings.lastLogin', render: (x) => dateTime(x.lastLoginAt) },
              {
                key: 'actions',
                label: 'common.actions',
                render: (x) =>
                  x.id === me.user.id ? (
                    t('settings.you')
                  ) : (
                    <button
                      type="button"
                      onClick={() =>
                        act(
                          () => patch(`/v1/users/${x.id}`, { disabled: !x.disabledAt }),
                          x.disabledAt ? 'settings.userEnabled' : 'settings.userDisabled',
                        )
                      }
                    >
                      {x.disabledAt ? t('settings.enable') : t('settings.disable')}
                      <span className="sr-only"> {x.email}</span>
                    </button>
                  ),
              },
            ]}
          />
        )}
      </Show>
    </Section>
  );
}

/** /settings: the analytics settings (admins change them) and, for admins, the tenant's users. */
export function SettingsPage() {
  const canWrite = useCanWrite();
  const settings = useLoad(() => get<Settings>('/v1/settings'), []);
  const [key, setKey] = useState(0);
  useEffect(() => setKey((k) => k + 1), [settings.data]);
  return (
    <>
      <PageTitle title={t('settings.title')} />
      <Section title={t('settings.analytics')}>
        <Show s={settings}>{(s) => <SettingsForm key={key} initial={s} canWrite={canWrite} />}</Show>
      </Section>
      {canWrite && <Users />}
    </>
  );
}
