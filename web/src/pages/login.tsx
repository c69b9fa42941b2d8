import { FormEvent, useEffect, useState } from 'react';
import { ApiError, Me, post } from '../api';
import { getLang, Lang, t } from '../i18n';
import { ErrorBox } from '../ui';

/** /login: email and password; a wrong password is said in words. */
export function LoginPage({ onLogin, onLang }: { onLogin: (me: Me) => void; onLang: (l: Lang) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    document.title = `${t('login.title')} · Harakah`;
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await post<Me>('/v1/auth/login', { email, password });
      onLogin(me);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    } finally {
      setBusy(false);
    }
  };
  const other: Lang = getLang() === 'ar' ? 'en' : 'ar';
  return (
    <main id="main" className="login">
      <form className="card login-card" onSubmit={submit} noValidate={false}>
        <h1>{t('app.name')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        <label htmlFor="email">{t('login.email')}</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor="password">{t('login.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && (
          <ErrorBox
            error={
              error.status === 401
                ? new ApiError(401, error.code, t('login.wrong'))
                : error.status === 429
                  ? new ApiError(429, error.code, t('login.throttled'))
                  : error
            }
          />
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
        <button type="button" className="link-button" lang={other} onClick={() => onLang(other)}>
          {t('nav.otherLanguage')}
        </button>
      </form>
    </main>
  );
}
