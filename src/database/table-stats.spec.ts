import { TableStats } from './table-stats';

describe('TableStats', () => {
  const db = () => {
    const queries: string[] = [];
    return { queries, query: async (sql: string) => (queries.push(sql), []) };
  };

  it('counts the rows imports change per table and analyses a table once enough changed', async () => {
    const d = db();
    const stats = new TableStats(100, 10_000);
    await stats.refresh(d, ['invoices', 'invoice_lines'], 60, 0);
    expect(d.queries).toEqual([]);
    await stats.refresh(d, ['invoices', 'invoice_lines'], 40, 1);
    expect(d.queries).toEqual(['ANALYZE invoices, invoice_lines']);
    // counted again from zero
    await stats.refresh(d, ['invoices', 'invoice_lines'], 99, 20_000);
    expect(d.queries).toHaveLength(1);
    stats.stop();
  });

  it('analyses a table that became due within the interval when the interval ends', async () => {
    jest.useFakeTimers();
    try {
      const d = db();
      const stats = new TableStats(100, 10_000);
      await stats.refresh(d, ['payments'], 500);
      jest.advanceTimersByTime(1_000);
      await stats.refresh(d, ['payments'], 200);
      expect(d.queries).toEqual(['ANALYZE payments']);
      jest.advanceTimersByTime(8_500);
      expect(d.queries).toHaveLength(1);
      jest.advanceTimersByTime(1_000);
      await Promise.resolve();
      expect(d.queries).toEqual(['ANALYZE payments', 'ANALYZE payments']);
      // nothing due: no timer left behind
      expect(jest.getTimerCount()).toBe(0);
      stats.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});
