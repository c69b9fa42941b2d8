import type { Request } from 'express';
import { DomainError } from './errors';

/** Reads a raw request body up to `limit` bytes; a larger body is a 413 and is not buffered further. */
export async function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.unpipe?.();
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(limit: number): DomainError {
  return new DomainError(
    'payload_too_large',
    `request body is larger than the import limit of ${limit} bytes`,
    {
      limitBytes: limit,
    },
  );
}
