/**
 * Records the demo generator writes: the source-document shapes of DOMAIN.md §1 (camelCase,
 * money and quantities as decimal strings, dates "YYYY-MM-DD"), plus the ground truth.
 */

export const CUSTOMER_KINDS = [
  'loyal',
  'seasonal',
  'one_off',
  'lapsing',
  'growing',
  'declining',
  'slow_payer',
  'returner',
  'whale',
  'occasional',
  'prospect',
] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

export interface GenerateOptions {
  customers: number;
  /** Whole years of history ending on endDate. */
  years: number;
  seed: number;
  /** ISO date of the last day of data. */
  endDate: string;
  /** Default: customers / 10, between 50 and 10,000. */
  products?: number;
  /** Default 3 (main, jeddah, dammam). */
  warehouses?: number;
}

export interface CustomerRecord {
  externalId: string;
  name: string;
  nameAr: string;
  email?: string;
  phone?: string;
  taxNumber?: string;
  city: string;
  country: 'SA';
  createdAt: string;
}

export interface CustomerKindRecord {
  externalId: string;
  kind: CustomerKind;
}

export interface ProductRecord {
  externalId: string;
  name: string;
  nameAr: string;
  category: string;
  unitCost?: string;
  leadTimeDays?: number;
  packSize: number;
  minOrderQty: number;
  isService: boolean;
}

export interface InvoiceLineRecord {
  productId: string;
  description?: string;
  quantity: string;
  unitPrice: string;
  discount?: string;
  discountPercent?: string;
  taxRate: string;
  unitCost?: string;
}

export type InvoiceStatus = 'draft' | 'issued' | 'paid' | 'void';

export interface InvoiceRecord {
  externalId: string;
  number: string;
  customerId: string;
  issueDate: string;
  dueDate: string;
  currency: 'SAR';
  status: InvoiceStatus;
  pricesIncludeTax: boolean;
  lines: InvoiceLineRecord[];
  total: string;
}

export type PaymentMethod = 'bank_transfer' | 'cash' | 'card' | 'mada';

export interface PaymentRecord {
  externalId: string;
  customerId: string;
  date: string;
  amount: string;
  method: PaymentMethod;
  allocations: { invoiceId: string; amount: string }[];
}

export interface CreditNoteLineRecord {
  productId: string;
  quantity: string;
  unitPrice: string;
  discount?: string;
  taxRate: string;
  unitCost?: string;
}

export interface CreditNoteRecord {
  externalId: string;
  customerId: string;
  invoiceId?: string;
  issueDate: string;
  restock: boolean;
  reason: string;
  lines: CreditNoteLineRecord[];
  total: string;
}

export interface InventoryRecord {
  productId: string;
  warehouseId: string;
  asOf: string;
  onHand: string;
  onOrder: string;
  unitCost?: string;
}

/** Every record the generator emits, tagged with the file it belongs to. */
export type BusinessRecord =
  | { type: 'customer'; record: CustomerRecord }
  | { type: 'customer-kind'; record: CustomerKindRecord }
  | { type: 'product'; record: ProductRecord }
  | { type: 'invoice'; record: InvoiceRecord }
  | { type: 'payment'; record: PaymentRecord }
  | { type: 'credit-note'; record: CreditNoteRecord }
  | { type: 'inventory'; record: InventoryRecord };

export type RecordType = BusinessRecord['type'];

export const FILE_NAMES: Record<RecordType, string> = {
  customer: 'customers.ndjson',
  'customer-kind': 'customers-kinds.ndjson',
  product: 'products.ndjson',
  invoice: 'invoices.ndjson',
  payment: 'payments.ndjson',
  'credit-note': 'credit-notes.ndjson',
  inventory: 'inventory.ndjson',
};

export interface ResolvedOptions {
  customers: number;
  years: number;
  seed: number;
  startDate: string;
  endDate: string;
  products: number;
  warehouses: string[];
}

export interface Manifest {
  generator: string;
  parameters: ResolvedOptions;
  counts: {
    customers: number;
    products: number;
    invoices: number;
    invoiceLines: number;
    payments: number;
    creditNotes: number;
    inventoryRows: number;
  };
  kinds: Record<CustomerKind, number>;
  files: Record<RecordType | 'manifest', string>;
}
