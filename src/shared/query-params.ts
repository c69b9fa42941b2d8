import { DomainError } from './errors';

/**
 * An optional text filter from the query string: absent or empty → null. Sent twice (an array) or
 * as anything but a string it is a 400 naming the parameter — dropping it would widen the filter
 * to every row without telling the caller.
 */
export function optionalText(v: unknown, field: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    throw new DomainError('bad_request', `${field} must be given once, as a single value`, { field });
  }
  const s = v.trim();
  return s === '' ? null : s;
}
