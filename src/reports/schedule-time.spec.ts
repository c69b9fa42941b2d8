import { CATCH_UP_LIMIT, cronProblem, duePlan, nextDue, timeZoneProblem } from './schedule-time';

describe('schedule times', () => {
  it('accepts five-field cron and the presets, and names what is wrong otherwise', () => {
    expect(cronProblem('0 8 * * 0')).toBeNull();
    expect(cronProblem('*/15 6-18 * * 1-5')).toBeNull();
    expect(cronProblem('@weekly')).toBeNull();
    expect(cronProblem('* * * *')).toMatch(/5 fields/);
    expect(cronProblem('0 * * * * *')).toMatch(/5 fields/);
    expect(cronProblem('61 * * * *')).toMatch(/cron is not valid/);
    expect(cronProblem('@every_second')).toMatch(/preset/);
    expect(cronProblem('0 0 30 2 *')).toMatch(/cron is not valid/);
  });

  it('validates IANA time zones', () => {
    expect(timeZoneProblem('Asia/Riyadh')).toBeNull();
    expect(timeZoneProblem('Mars/Olympus')).toMatch(/IANA/);
  });

  it('evaluates cron in the schedule time zone, strictly after the given instant', () => {
    // Monday 09:00 in Riyadh (UTC+3) is 06:00 UTC
    expect(nextDue('0 9 * * 1', 'Asia/Riyadh', new Date('2025-01-05T00:00:00Z')).toISOString()).toBe(
      '2025-01-06T06:00:00.000Z',
    );
    expect(nextDue('0 9 * * 1', 'Asia/Riyadh', new Date('2025-01-06T06:00:00Z')).toISOString()).toBe(
      '2025-01-13T06:00:00.000Z',
    );
  });

  it('plans every due time up to now, and the next one after it', () => {
    const plan = duePlan(
      '* * * * *',
      'UTC',
      new Date('2025-01-01T10:00:00Z'),
      new Date('2025-01-01T10:02:30Z'),
    );
    expect(plan.due.map((d) => d.toISOString())).toEqual([
      '2025-01-01T10:00:00.000Z',
      '2025-01-01T10:01:00.000Z',
      '2025-01-01T10:02:00.000Z',
    ]);
    expect(plan.next.toISOString()).toBe('2025-01-01T10:03:00.000Z');
    expect(plan.skippedFrom).toBeNull();
  });

  it('plans nothing before the due time', () => {
    const plan = duePlan(
      '0 8 * * *',
      'UTC',
      new Date('2025-01-02T08:00:00Z'),
      new Date('2025-01-02T07:59:59Z'),
    );
    expect(plan.due).toEqual([]);
    expect(plan.next.toISOString()).toBe('2025-01-02T08:00:00.000Z');
  });

  it('skips due times older than a day and keeps at most the latest 60', () => {
    const from = new Date('2024-06-01T08:00:00Z');
    const daily = duePlan('0 8 * * *', 'UTC', from, new Date('2025-01-10T09:00:00Z'));
    expect(daily.due.map((d) => d.toISOString())).toEqual(['2025-01-10T08:00:00.000Z']);
    expect(daily.skippedFrom).toEqual(from);
    const minutely = duePlan(
      '* * * * *',
      'UTC',
      new Date('2025-01-10T06:00:00Z'),
      new Date('2025-01-10T09:00:00Z'),
    );
    expect(minutely.due).toHaveLength(CATCH_UP_LIMIT);
    expect(minutely.due[0]!.toISOString()).toBe('2025-01-10T08:01:00.000Z');
    expect(minutely.skippedFrom!.toISOString()).toBe('2025-01-10T06:00:00.000Z');
  });
});
