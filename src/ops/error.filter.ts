import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ValidationFailed } from '../shared/errors';
import { RequestWithId } from './request-context';

/**
 * The one place errors become HTTP: DomainError codes map to their status; Nest's own HTTP errors
 * keep theirs; anything else is a 500 that says nothing about internals (the log has the details).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('Error');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<RequestWithId>();
    const { status, body } = toHttp(exception);
    if (status >= 500) {
      this.log.error(
        `${req.method} ${req.originalUrl} failed: ${exception instanceof Error ? exception.message : String(exception)}`,
        exception instanceof Error ? exception.stack : undefined,
      );
    }
    if (res.headersSent) return;
    const retryAfter = (body.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (status === 429 && typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res.status(status).json({ ...body, requestId: req.id });
  }
}

export function toHttp(exception: unknown): { status: number; body: Record<string, unknown> } {
  if (exception instanceof ValidationFailed) {
    return {
      status: 422,
      body: { error: exception.code, message: exception.message, errors: exception.errors },
    };
  }
  if (exception instanceof DomainError) {
    return {
      status: exception.status,
      body: {
        error: exception.code,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
      },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const r = exception.getResponse();
    const message = typeof r === 'string' ? r : ((r as { message?: unknown }).message ?? exception.message);
    return {
      status,
      body: {
        error: codeFor(status),
        message: Array.isArray(message)
          ? message.join('; ')
          : typeof message === 'string'
            ? message
            : exception.message,
      },
    };
  }
  const http = exception as { status?: number; statusCode?: number; type?: string; message?: string };
  if (http && typeof http === 'object' && http.type === 'entity.too.large') {
    return {
      status: 413,
      body: { error: 'payload_too_large', message: 'request body is larger than the limit' },
    };
  }
  if (http && typeof http === 'object' && http.type === 'entity.parse.failed') {
    return {
      status: 400,
      body: { error: 'bad_request', message: `request body is not valid JSON: ${http.message}` },
    };
  }
  // the JSON parser's other errors (http-errors): an unknown Content-Encoding or charset (415), an
  // aborted or mis-sized body (400)
  const expose = exception as { expose?: unknown; status?: unknown; message?: unknown };
  if (
    expose &&
    typeof expose === 'object' &&
    expose.expose === true &&
    typeof expose.status === 'number' &&
    expose.status >= 400 &&
    expose.status < 500
  ) {
    return {
      status: expose.status,
      body: { error: codeFor(expose.status), message: String(expose.message) },
    };
  }
  // a body whose Content-Encoding (gzip, deflate, br) does not match its bytes, found while inflating it
  const zlib = exception as { code?: unknown; errno?: unknown };
  if (
    zlib &&
    typeof zlib === 'object' &&
    typeof zlib.errno === 'number' &&
    typeof zlib.code === 'string' &&
    /^(Z_|ERR__ERROR_|ERR_BROTLI)/.test(zlib.code)
  ) {
    return {
      status: 400,
      body: { error: 'bad_request', message: 'request body does not match its Content-Encoding' },
    };
  }
  return { status: 500, body: { error: 'internal_error', message: 'an unexpected error occurred' } };
}

function codeFor(status: number): string {
  return (
    {
      400: 'bad_request',
      401: 'unauthorized',
      403: 'forbidden',
      404: 'not_found',
      405: 'method_not_allowed',
      409: 'conflict',
      413: 'payload_too_large',
      415: 'unsupported_media_type',
      422: 'validation_failed',
      429: 'too_many_requests',
    }[status] ?? (status >= 500 ? 'internal_error' : 'bad_request')
  );
}
