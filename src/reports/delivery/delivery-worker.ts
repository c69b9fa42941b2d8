import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { Database } from '../../database/database';
import { Clock } from '../clock';
import { DELIVERY } from '../reports.queries';
import { WorkerIdentity } from '../worker-identity';
import { postWebhook } from './http-post';
import { signatureHeader } from './signature';
import { WebhookPolicy } from './webhook-target';

/** Longest wait between two attempts. */
const MAX_BACKOFF_MS = 3600_000;

interface ClaimedDelivery {
  tenant_id: string;
  id: string;
  run_id: string;
  schedule_id: string;
  target_url: string;
  attempts: number;
  max_attempts: number;
}

/** Delay before attempt n + 1 after n failed attempts: base × 2^(n − 1), at most one hour. */
export function backoffMs(base: number, failedAttempts: number): number {
  return Math.min(MAX_BACKOFF_MS, base * 2 ** Math.max(0, failedAttempts - 1));
}

/**
 * Sends report deliveries (ADR 0007). Claim (one statement, SKIP LOCKED, lease) → POST with no
 * transaction held → one transaction that records the attempt and settles the delivery (delivered,
 * retry later with exponential backoff, or failed after max attempts), only under this worker's
 * lease token. A crash between the POST and that transaction means the same delivery id is sent
 * again after the lease expires: at-least-once transport, de-duplicated by the receiver on
 * X-Harakah-Delivery.
 */
@Injectable()
export class DeliveryWorker {
  private readonly log = new Logger('ReportDeliveries');
  private readonly policy: WebhookPolicy;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly identity: WorkerIdentity,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.policy = new WebhookPolicy(config.webhookAllowlist);
  }

  stop(): void {
    this.stopped = true;
  }

  /** Claims and attempts one delivery; false when there was nothing to do. */
  async deliverNext(): Promise<boolean> {
    if (this.stopped) return false;
    const now = this.clock.now();
    await this.db.query(DELIVERY.giveUp, [now]);
    const token = randomUUID();
    // a lease covers one attempt: the request's time limit plus room to record it
    const leaseMs = this.config.webhookTimeoutMs + this.config.reportLeaseMs;
    const [d] = await this.db.query<ClaimedDelivery>(DELIVERY.claim, [
      now,
      token,
      this.identity.name,
      leaseMs,
    ]);
    if (!d) return false;
    await this.attempt(d, token);
    return true;
  }

  private async attempt(d: ClaimedDelivery, token: string): Promise<void> {
    const startedAt = this.clock.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    const [payload] = await this.db.query<{
      body: string | null;
      content_type: string;
      webhook_secret: string | null;
    }>(DELIVERY.payload, [d.tenant_id, d.run_id]);
    if (!payload?.body || !payload.webhook_secret) {
      error = 'the schedule no longer has a webhook, or the run has no body';
    } else {
      const t = Math.floor(startedAt.getTime() / 1000);
      try {
        const res = await postWebhook(
          this.policy,
          d.target_url,
          payload.body,
          {
            'Content-Type': payload.content_type,
            'User-Agent': 'Harakah-Webhooks/1',
            'X-Harakah-Delivery': d.id,
            'X-Harakah-Run': d.run_id,
            'X-Harakah-Schedule': d.schedule_id,
            'X-Harakah-Attempt': String(d.attempts),
            'X-Harakah-Event': 'report.run.succeeded',
            'X-Harakah-Signature': signatureHeader(payload.webhook_secret, t, payload.body),
          },
          this.config.webhookTimeoutMs,
        );
        statusCode = res.statusCode;
        if (statusCode < 200 || statusCode > 299) error = `the receiver answered ${statusCode}`;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
    }
    if (this.stopped) return; // the lease will expire and the attempt be recorded as abandoned
    const finishedAt = this.clock.now();
    const ok = error === null;
    const final = !ok && (d.attempts >= d.max_attempts || payload?.webhook_secret == null);
    const status = ok ? 'delivered' : final ? 'failed' : 'pending';
    const next =
      ok || final
        ? null
        : new Date(finishedAt.getTime() + backoffMs(this.config.webhookBackoffMs, d.attempts));
    await this.db.transaction(async (tx) => {
      await tx.query(DELIVERY.recordAttempt, [
        d.tenant_id,
        d.id,
        d.attempts,
        ok ? 'succeeded' : 'failed',
        startedAt,
        finishedAt,
        finishedAt.getTime() - startedAt.getTime(),
        statusCode,
        error?.slice(0, 2000) ?? null,
        this.identity.name,
      ]);
      const settled = await tx.query(DELIVERY.settle, [
        d.tenant_id,
        d.id,
        token,
        status,
        next,
        statusCode,
        error?.slice(0, 2000) ?? null,
        ok ? finishedAt : null,
      ]);
      if (settled.length === 0) this.log.warn(`delivery ${d.id}: lease lost during attempt ${d.attempts}`);
    });
    if (!ok) this.log.warn(`delivery ${d.id} attempt ${d.attempts}/${d.max_attempts} failed: ${error}`);
  }
}
