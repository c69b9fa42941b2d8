/**
 * The dashboard's one API client: same-origin fetch with the session cookie, X-CSRF-Token on every
 * state change (from GET /v1/auth/me), and errors as ApiError carrying the API's message in words.
 */

export interface Me {
  user: { id: string; email: string; name: string; role: 'admin' | 'viewer'; locale: 'ar' | 'en' | null };
  role: 'admin' | 'viewer';
  tenant: { id: string; name: string; currency: string; timezone: string };
  csrfToken: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

let csrfToken = '';
let language = 'en';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}
export function setApiLanguage(lang: string): void {
  language = lang;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: { error?: string; message?: string; errors?: { field: string; message: string }[] } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: the status speaks
  }
  return new ApiError(
    res.status,
    body.error ?? `http_${res.status}`,
    body.message ?? res.statusText,
    body.errors ?? [],
  );
}

/** Listeners told after a change the app made went through (an import, settings): freshness re-asks. */
const changeListeners = new Set<() => void>();
export function onDataChange(f: () => void): () => void {
  changeListeners.add(f);
  return () => changeListeners.delete(f);
}
function changed(): void {
  for (const f of changeListeners) f();
}

/** Called when a request answers 401 (the session ended): the app goes to /login. */
let onUnauthorized: () => void = () => undefined;
export function setOnUnauthorized(f: () => void): void {
  onUnauthorized = f;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  query: Query = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(apiUrl(path, query), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && path !== '/v1/auth/login' && path !== '/v1/auth/me') onUnauthorized();
    throw err;
  }
  if (method !== 'GET' && method !== 'HEAD') changed();
  if (res.status === 204 || res.status === 202) {
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return (await res.json()) as T;
}

export const get = <T>(path: string, query: Query = {}) => request<T>('GET', path, undefined, query);
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const del = <T>(path: string) => request<T>('DELETE', path);

/**
 * Uploads a CSV file to /v1/import/{resource} with XMLHttpRequest, whose upload progress fetch
 * cannot report; `onProgress` gets 0…1.
 */
export function uploadCsv(
  resource: string,
  file: Blob,
  onProgress: (share: number) => void,
): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/v1/import/${encodeURIComponent(resource)}`);
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.setRequestHeader('Accept-Language', language);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        changed();
        resolve(body as unknown as ImportResult);
      } else {
        reject(
          new ApiError(
            xhr.status,
            String(body.error ?? `http_${xhr.status}`),
            String(body.message ?? xhr.statusText),
            (body.errors as { field: string; message: string }[]) ?? [],
          ),
        );
      }
    };
    xhr.send(file);
  });
}

export interface ImportResult {
  runId?: string;
  received?: number;
  created?: number;
  updated?: number;
  unchanged?: number;
  errors?: { line?: number; field: string; message: string }[];
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
