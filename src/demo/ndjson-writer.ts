/**
 * Buffered NDJSON file writer with back-pressure: lines are joined into ~256 KB chunks, and a
 * write that fills the stream's buffer hands back a promise that resolves on 'drain'.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const CHUNK_CHARS = 256 * 1024;

export class NdjsonFileWriter {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private size = 0;
  private failure: Error | null = null;
  lines = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.stream.on('error', (err) => {
      this.failure = err;
    });
  }

  /** Appends one line; returns a promise to await before writing more when the stream is full. */
  write(json: string): Promise<void> | null {
    if (this.failure) throw this.failure;
    this.buffer.push(json, '\n');
    this.size += json.length + 1;
    this.lines++;
    return this.size >= CHUNK_CHARS ? this.flush() : null;
  }

  private flush(): Promise<void> | null {
    if (this.size === 0) return null;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    return this.stream.write(chunk) ? null : once(this.stream, 'drain').then(() => undefined);
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (this.failure) throw this.failure;
  }
}
