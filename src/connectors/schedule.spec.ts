import { nextFullSyncAt } from './schedule';

describe('nextFullSyncAt', () => {
  it('is the next 02:00 in Riyadh (UTC+3)', () => {
    expect(nextFullSyncAt(new Date('2026-12-07T10:00:00Z'), 'Asia/Riyadh', 2).toISOString()).toBe(
      '2026-12-07T23:00:00.000Z',
    );
    expect(nextFullSyncAt(new Date('2026-12-07T22:59:00Z'), 'Asia/Riyadh', 2).toISOString()).toBe(
      '2026-12-07T23:00:00.000Z',
    );
    expect(nextFullSyncAt(new Date('2026-12-07T23:00:00Z'), 'Asia/Riyadh', 2).toISOString()).toBe(
      '2026-12-08T23:00:00.000Z',
    );
  });

  it('follows daylight saving time', () => {
    // Berlin: CET (UTC+1) in winter, CEST (UTC+2) from 2026-03-29
    expect(nextFullSyncAt(new Date('2026-03-28T12:00:00Z'), 'Europe/Berlin', 3).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(nextFullSyncAt(new Date('2026-01-10T12:00:00Z'), 'Europe/Berlin', 3).toISOString()).toBe(
      '2026-01-11T02:00:00.000Z',
    );
  });
});
