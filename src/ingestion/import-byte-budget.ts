import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { WindowCounter } from '../ops/rate-limit';
import { DomainError } from '../shared/errors';

/**
 * IMPORT_BYTES_PER_MINUTE per tenant, counted before the body is read when its length is declared
 * (so a refused batch costs nothing), else once it has been read. Over the budget → 429 with
 * Retry-After; nothing is imported.
 */
@Injectable()
export class ImportByteBudget {
  private readonly counter: WindowCounter | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.counter =
      config.importBytesPerMinute > 0 ? new WindowCounter(config.importBytesPerMinute) : undefined;
  }

  spend(tenantId: string, bytes: number): void {
    if (!this.counter) return;
    const take = this.counter.take(tenantId, bytes);
    if (!take.allowed) {
      throw new DomainError(
        'too_many_requests',
        `this tenant's imports passed ${this.counter.quota} bytes a minute; retry in ${take.resetSeconds} s`,
        { retryAfterSeconds: take.resetSeconds },
      );
    }
  }
}
