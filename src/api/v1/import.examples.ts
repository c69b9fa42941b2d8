/** Request examples shown in the OpenAPI document, one per resource. */
export const IMPORT_EXAMPLES = {
  customers: {
    summary: 'customers',
    value: [
      {
        externalId: 'C-1001',
        name: 'Al Ufuq Trading',
        nameAr: 'شركة الأفق للتجارة',
        email: 'ap@alufuq.sa',
        phone: '+966501234567',
        taxNumber: '300000000000003',
        city: 'Riyadh',
        country: 'SA',
      },
    ],
  },
  products: {
    summary: 'products',
    value: [
      {
        externalId: 'SKU-42',
        name: 'Arabic coffee 1kg',
        nameAr: 'قهوة عربية ١ كغ',
        category: 'Coffee',
        unitCost: '38.50',
        leadTimeDays: 14,
        packSize: '6',
        minOrderQty: '12',
        isService: false,
      },
    ],
  },
  invoices: {
    summary: 'invoices',
    value: [
      {
        externalId: 'INV-2024-0001',
        number: '0001',
        customerId: 'C-1001',
        issueDate: '2024-03-01',
        dueDate: '2024-03-31',
        status: 'issued',
        lines: [
          { productId: 'SKU-42', quantity: '10', unitPrice: '55.00', discount: '5.00', taxRate: '0.15' },
        ],
        total: '626.75',
      },
    ],
  },
  payments: {
    summary: 'payments',
    value: [
      {
        externalId: 'PAY-77',
        customerId: 'C-1001',
        date: '2024-03-20',
        amount: '500.00',
        method: 'bank_transfer',
        allocations: [{ invoiceId: 'INV-2024-0001', amount: '500.00' }],
      },
    ],
  },
  'credit-notes': {
    summary: 'credit notes (returns)',
    value: [
      {
        externalId: 'CN-9',
        customerId: 'C-1001',
        invoiceId: 'INV-2024-0001',
        issueDate: '2024-03-05',
        restock: true,
        reason: 'damaged',
        lines: [{ productId: 'SKU-42', quantity: '1', unitPrice: '55.00', taxRate: '0.15' }],
        total: '63.25',
      },
    ],
  },
  inventory: {
    summary: 'inventory snapshots',
    value: [
      {
        productId: 'SKU-42',
        warehouseId: 'main',
        asOf: '2024-03-31',
        onHand: '120',
        onOrder: '48',
        unitCost: '38.50',
      },
    ],
  },
};
