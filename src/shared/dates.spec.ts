import { addDays, daysBetween, isValidTimeZone, parseClientDate } from './dates';

describe('dates', () => {
  it('accepts real calendar dates and refuses impossible ones', () => {
    expect(parseClientDate('2024-02-29', 'Asia/Riyadh')).toBe('2024-02-29');
    expect(parseClientDate('2023-02-29', 'Asia/Riyadh')).toBeNull();
    expect(parseClientDate('2024-13-01', 'Asia/Riyadh')).toBeNull();
    expect(parseClientDate('2024-04-31', 'Asia/Riyadh')).toBeNull();
    expect(parseClientDate('yesterday', 'Asia/Riyadh')).toBeNull();
    expect(parseClientDate(20240101, 'Asia/Riyadh')).toBeNull();
  });

  it("takes a date-time with an offset as its calendar date in the tenant's zone", () => {
    // 22:30 UTC on the 1st is 01:30 on the 2nd in Riyadh (UTC+3)
    expect(parseClientDate('2024-03-01T22:30:00Z', 'Asia/Riyadh')).toBe('2024-03-02');
    expect(parseClientDate('2024-03-01T22:30:00Z', 'UTC')).toBe('2024-03-01');
    // a local date-time without offset keeps its own date
    expect(parseClientDate('2024-03-01 23:59:59', 'Asia/Riyadh')).toBe('2024-03-01');
    expect(parseClientDate('2024-03-01T25:00:00', 'Asia/Riyadh')).toBeNull();
  });

  it('does day arithmetic across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('knows IANA time zones', () => {
    expect(isValidTimeZone('Asia/Riyadh')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
