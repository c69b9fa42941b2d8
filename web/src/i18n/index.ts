import { useSyncExternalStore } from 'react';
import { ar } from './ar';
import { en, Messages } from './en';

/** The two catalogues; every string the app shows comes from one of them. */
export type Lang = 'ar' | 'en';
export type Key = keyof Messages;
const catalogues: Record<Lang, Messages> = { en, ar };

let current: Lang = 'en';
const listeners = new Set<() => void>();

export function setLang(lang: Lang): void {
  current = lang;
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
  for (const l of listeners) l();
}

export function getLang(): Lang {
  return current;
}

export function isLang(v: unknown): v is Lang {
  return v === 'ar' || v === 'en';
}

/** The browser's preferred language of the two (Accept-Language as navigator.languages shows it). */
export function browserLang(): Lang {
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.toLowerCase().slice(0, 2);
    if (isLang(base)) return base;
  }
  return 'en';
}

/** `{name}` placeholders filled from `vars`. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const text = catalogues[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_m, k: string) => String(vars[k] ?? ''));
}

export function useLang(): Lang {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
