import {
  AGING_BUCKETS,
  bucketConditionSql,
  bucketOf,
  csvField,
  describe as describeDoc,
  dso,
  fileNamePart,
  Statement,
  StatementDoc,
  statementCsv,
} from './receivables.math';

describe('aging buckets', () => {
  it('puts an invoice due on asOf (0 days) or later in not yet due', () => {
    expect(bucketOf(0)).toBe('notYetDue');
    expect(bucketOf(-15)).toBe('notYetDue');
  });

  it('splits overdue days at 1, 31, 61 and 91', () => {
    expect([1, 30, 31, 60, 61, 90, 91, 400].map(bucketOf)).toEqual([
      'd1_30',
      'd1_30',
      'd31_60',
      'd31_60',
      'd61_90',
      'd61_90',
      'over90',
      'over90',
    ]);
  });

  it('covers every day exactly once', () => {
    for (let d = -40; d <= 200; d++) {
      const hits = AGING_BUCKETS.filter(
        (b) => (b.min === null || d >= b.min) && (b.max === null || d <= b.max),
      );
      expect(hits).toHaveLength(1);
    }
  });

  it('writes the same bounds as SQL conditions', () => {
    expect(AGING_BUCKETS.map((b) => bucketConditionSql('d', b))).toEqual([
      'd <= 0',
      'd >= 1 AND d <= 30',
      'd >= 31 AND d <= 60',
      'd >= 61 AND d <= 90',
      'd >= 91',
    ]);
  });
});

describe('dso', () => {
  it('is receivables / credit sales × 90, exactly', () => {
    // 3871.25 / 3421.25 × 90 = 348412.5 / 3421.25 = 101.8377786…
    expect(dso('3871.25', '3421.25')!.toFixed(4)).toBe('101.8378');
    expect(dso('500', '1500')!.toString()).toBe('30');
  });

  it('is null without credit sales in the period', () => {
    expect(dso('100', '0')).toBeNull();
  });
});

describe('statement text', () => {
  const base: StatementDoc = {
    type: 'invoice',
    reference: 'INV-1',
    dueDate: '2024-03-31',
    invoiceRef: null,
    allocations: [],
    unallocated: null,
    currency: 'SAR',
    exchangeRate: '1',
    docAmount: '100',
  };

  it('describes an invoice with its due date, in English and Arabic', () => {
    expect(describeDoc(base, 'SAR', 'en')).toBe('Invoice INV-1, due 2024-03-31');
    expect(describeDoc(base, 'SAR', 'ar')).toBe('فاتورة INV-1، تستحق في 2024-03-31');
  });

  it('names the linked invoice of a credit note', () => {
    const cn = {
      ...base,
      type: 'credit_note' as const,
      reference: 'CN-1',
      dueDate: null,
      invoiceRef: 'INV-1',
    };
    expect(describeDoc(cn, 'SAR', 'en')).toBe('Credit note CN-1 for invoice INV-1');
    expect(describeDoc({ ...cn, invoiceRef: null }, 'SAR', 'ar')).toBe('إشعار دائن CN-1');
  });

  it('lists the allocations and the unallocated rest of a payment', () => {
    const p = {
      ...base,
      type: 'payment' as const,
      reference: 'P-1',
      dueDate: null,
      allocations: [
        { invoice: 'INV-1', amount: '400' },
        { invoice: 'INV-2', amount: '50.5' },
      ],
      unallocated: '549.5',
    };
    expect(describeDoc(p, 'SAR', 'en')).toBe(
      'Payment P-1, applied to INV-1 (400.00), INV-2 (50.50), unallocated 549.50',
    );
    expect(describeDoc({ ...p, allocations: [], unallocated: '1000' }, 'SAR', 'ar')).toBe(
      'دفعة P-1، غير مخصص 1000.00',
    );
    expect(describeDoc({ ...p, allocations: [], unallocated: '0' }, 'SAR', 'en')).toBe('Payment P-1');
  });

  it('shows the document currency and rate when it is not the base currency', () => {
    expect(
      describeDoc({ ...base, currency: 'USD', exchangeRate: '3.7500', docAmount: '23' }, 'SAR', 'en'),
    ).toBe('Invoice INV-1, due 2024-03-31 [USD 23.00 × 3.75]');
  });
});

describe('statement CSV', () => {
  const s: Statement = {
    from: '2024-01-01',
    to: '2024-01-31',
    openingBalance: '10.00',
    lines: [
      {
        date: '2024-01-05',
        type: 'invoice',
        reference: '=cmd',
        description: 'Invoice "A", due 2024-02-04',
        debit: '5.00',
        credit: '0.00',
        balance: '15.00',
      },
    ],
    totals: { debit: '5.00', credit: '0.00' },
    closingBalance: '15.00',
  };

  it('starts with a BOM, quotes fields and neutralises formulas, with opening and closing rows', () => {
    expect(statementCsv(s, 'en')).toBe(
      '\uFEFFdate,type,reference,description,debit,credit,balance\r\n' +
        '2024-01-01,opening_balance,,Opening balance,,,10.00\r\n' +
        `2024-01-05,invoice,'=cmd,"Invoice ""A"", due 2024-02-04",5.00,0.00,15.00\r\n` +
        '2024-01-31,closing_balance,,Closing balance,5.00,0.00,15.00\r\n',
    );
  });

  it('writes Arabic headers and labels', () => {
    const csv = statementCsv(s, 'ar');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFالتاريخ,النوع,المرجع,البيان,مدين,دائن,الرصيد');
    expect(csv).toContain('الرصيد الافتتاحي');
  });

  it('keeps negative amounts as numbers', () => {
    expect(csvField('-367.50')).toBe('-367.50');
    expect(csvField('-x')).toBe("'-x");
    expect(fileNamePart('C 1/ä')).toBe('C_1_');
  });
});
