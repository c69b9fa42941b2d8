import { deletionOrder } from './tenant-admin.service';

describe('deletionOrder', () => {
  it('puts every table before the tables it references', () => {
    const order = deletionOrder([
      { table_name: 'customers', references: [] },
      { table_name: 'invoices', references: ['customers'] },
      { table_name: 'invoice_lines', references: ['invoices', 'products'] },
      { table_name: 'products', references: '{}' },
      { table_name: 'payment_allocations', references: '{payments,invoices}' },
      { table_name: 'payments', references: ['customers', 'tenants'] },
    ]);
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before('invoice_lines', 'invoices');
    before('invoice_lines', 'products');
    before('invoices', 'customers');
    before('payment_allocations', 'payments');
    before('payment_allocations', 'invoices');
    before('payments', 'customers');
    expect(order).toHaveLength(6);
  });
});
