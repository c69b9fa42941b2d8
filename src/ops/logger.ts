import { LoggerService } from '@nestjs/common';
import { LogLevel } from '../config/config';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Structured logs: one JSON object per line on stdout, filtered by LOG_LEVEL. */
export class JsonLogger implements LoggerService {
  constructor(private readonly level: LogLevel) {}

  write(level: Exclude<LogLevel, 'silent'>, msg: string, fields: Record<string, unknown> = {}): void {
    if (ORDER[level] < ORDER[this.level]) return;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  }

  log(message: unknown, context?: string): void {
    this.write('info', String(message), context ? { context } : {});
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.write('error', String(message), { ...(context ? { context } : {}), ...(trace ? { trace } : {}) });
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', String(message), context ? { context } : {});
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', String(message), context ? { context } : {});
  }
  verbose(message: unknown, context?: string): void {
    this.debug(message, context);
  }
}
