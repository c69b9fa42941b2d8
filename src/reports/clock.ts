import { Injectable } from '@nestjs/common';

/**
 * The one clock of the reports subsystem: due times, leases, backoff and signature timestamps all
 * read it. It is the system clock shifted by an offset that is zero in production; tests move it
 * (`set`, `advance`) to drive schedules and lease expiry without waiting real minutes, and time keeps
 * flowing from the instant they set.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** From now on, now() is `instant` plus the real time elapsed since this call. */
  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
