/**
 * One error type for everything a client can cause. The code decides the HTTP status (one map,
 * applied by the global filter); the body is `{ error: code, message, details? }`.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  tenant_suspended: 403,
  csrf_required: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  idempotency_in_progress: 409,
  request_timeout: 408,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  idempotency_key_reused: 422,
  insufficient_data: 422,
  too_many_requests: 429,
  service_unavailable: 503,
  // connectors (ADR 0018)
  secrets_key_missing: 409,
  sync_in_progress: 409,
  source_unavailable: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One problem with one field of one record (index is the record's position in the batch). */
export interface FieldError {
  index?: number;
  field: string;
  message: string;
  /** CSV input: the line of the file the problem is on */
  line?: number;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export class ValidationFailed extends DomainError {
  constructor(
    readonly errors: FieldError[],
    message = `${errors.length} validation error${errors.length === 1 ? '' : 's'}`,
  ) {
    super('validation_failed', message);
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
