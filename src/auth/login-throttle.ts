import { isIPv6 } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { asSystem } from '../database/tenant-context';
import { DomainError } from '../shared/errors';

/**
 * Refused logins, counted in the database (so every instance sees them) per account — lower(email),
 * known or not, so an unknown email is throttled like a known one — and per client address, within
 * LOGIN_FAILURE_WINDOW_MINUTES. Once an account or an address has reached its limit, every login for
 * it is a 429 with Retry-After until the oldest failure leaves the window, the right password too.
 */
/**
 * The address a refused login is counted against: an IPv4 address as it is (also when it comes
 * IPv4-mapped), an IPv6 address by its /64, the least a single subscriber is usually given (so that
 * walking through one's own prefix does not reset the count).
 */
export function throttleAddress(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const bare = ip.replace(/%.*$/, '');
  if (!isIPv6(bare)) return ip;
  const [head = '', tail = ''] = bare.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = bare.includes('::') && tail ? tail.split(':') : [];
  const groups = bare.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

@Injectable()
export class LoginThrottle {
  constructor(
    private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Throws 429 when the account or the address has used up its refused logins. */
  async check(email: string, address: string): Promise<void> {
    const rows = await asSystem(() =>
      this.db.query<{ kind: string; n: string | number; retry: string | number | null }>(
        `WITH recent AS (
           SELECT email, address, failed_at FROM login_failures
            WHERE (email = $1 OR address = $2) AND failed_at > now() - make_interval(mins => $3::int))
         SELECT 'email' AS kind, count(*) AS n,
                ceil(extract(epoch FROM min(failed_at) + make_interval(mins => $3::int) - now())) AS retry
           FROM recent WHERE email = $1
         UNION ALL
         SELECT 'address', count(*),
                ceil(extract(epoch FROM min(failed_at) + make_interval(mins => $3::int) - now()))
           FROM recent WHERE address = $2`,
        [email, address, this.config.loginFailureWindowMinutes],
      ),
    );
    const limits: Record<string, number> = {
      email: this.config.loginMaxFailures,
      address: this.config.loginMaxFailuresPerAddress,
    };
    for (const r of rows) {
      if (Number(r.n) < (limits[r.kind] ?? Infinity)) continue;
      const retryAfterSeconds = Math.max(1, Number(r.retry ?? 1));
      throw new DomainError(
        'too_many_requests',
        r.kind === 'email'
          ? 'too many refused logins for this account: try again later'
          : 'too many refused logins from this address: try again later',
        { retryAfterSeconds },
      );
    }
  }

  /** Records a refused login, and forgets failures older than the window. */
  async record(email: string, address: string): Promise<void> {
    await asSystem(async () => {
      await this.db.query(`INSERT INTO login_failures (email, address) VALUES ($1, $2)`, [email, address]);
      await this.db.query(
        `DELETE FROM login_failures WHERE failed_at < now() - make_interval(mins => $1::int)`,
        [this.config.loginFailureWindowMinutes],
      );
    });
  }

  /** A successful login clears the account's failures (the address's stay). */
  async clear(email: string): Promise<void> {
    await asSystem(() => this.db.query(`DELETE FROM login_failures WHERE email = $1`, [email]));
  }
}
