import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenants, API keys, the accounting documents of DOMAIN.md §1 and import runs.
 * Every tenant-owned table has tenant_id first in its primary key and in every unique key, and
 * references other tenant-owned rows through (tenant_id, id), so a row can never point across tenants.
 * Money and quantities are NUMERIC without a fixed scale: stored exactly as computed.
 */
export class CreateCoreSchema1763800000000 implements MigrationInterface {
  name = 'CreateCoreSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenants (
        id uuid NOT NULL,
        name text NOT NULL,
        currency char(3) NOT NULL DEFAULT 'SAR',
        timezone text NOT NULL DEFAULT 'Asia/Riyadh',
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_tenants PRIMARY KEY (id),
        CONSTRAINT ck_tenants_currency CHECK (currency ~ '^[A-Z]{3}$')
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        name text,
        prefix text NOT NULL,
        key_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz,
        CONSTRAINT pk_api_keys PRIMARY KEY (tenant_id, id),
        CONSTRAINT uq_api_keys_hash UNIQUE (tenant_id, key_hash),
        CONSTRAINT fk_api_keys_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_api_keys_key_hash ON api_keys (key_hash)`);

    await q.query(`
      CREATE TABLE customers (
        tenant_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        external_id text NOT NULL,
        name text NOT NULL,
        name_ar text,
        email text,
        phone text,
        tax_number text,
        city text,
        country text,
        source_created_at timestamptz,
        content_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_customers PRIMARY KEY (tenant_id, id),
        CONSTRAINT uq_customers_external_id UNIQUE (tenant_id, external_id),
        CONSTRAINT fk_customers_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
      )`);

    await q.query(`
      CREATE TABLE products (
        tenant_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        external_id text NOT NULL,
        name text NOT NULL,
        name_ar text,
        category text,
        unit_cost numeric,
        lead_time_days integer,
        pack_size numeric,
        min_order_qty numeric,
        is_service boolean NOT NULL DEFAULT false,
        content_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_products PRIMARY KEY (tenant_id, id),
        CONSTRAINT uq_products_external_id UNIQUE (tenant_id, external_id),
        CONSTRAINT fk_products_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
        CONSTRAINT ck_products_unit_cost CHECK (unit_cost >= 0),
        CONSTRAINT ck_products_lead_time CHECK (lead_time_days >= 0),
        CONSTRAINT ck_products_pack_size CHECK (pack_size > 0),
        CONSTRAINT ck_products_min_order CHECK (min_order_qty >= 0)
      )`);

    await q.query(`
      CREATE TABLE invoices (
        tenant_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        external_id text NOT NULL,
        number text,
        customer_id bigint NOT NULL,
        issue_date date NOT NULL,
        due_date date,
        currency char(3) NOT NULL,
        exchange_rate numeric NOT NULL DEFAULT 1,
        status text NOT NULL,
        prices_include_tax boolean NOT NULL DEFAULT false,
        net numeric NOT NULL,
        tax numeric NOT NULL,
        total numeric NOT NULL,
        content_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_invoices PRIMARY KEY (tenant_id, id),
        CONSTRAINT uq_invoices_external_id UNIQUE (tenant_id, external_id),
        CONSTRAINT fk_invoices_customer FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
        CONSTRAINT ck_invoices_status CHECK (status IN ('draft', 'issued', 'paid', 'void')),
        CONSTRAINT ck_invoices_exchange_rate CHECK (exchange_rate > 0)
      )`);
    await q.query(`CREATE INDEX ix_invoices_customer_date ON invoices (tenant_id, customer_id, issue_date)`);
    await q.query(`CREATE INDEX ix_invoices_date ON invoices (tenant_id, issue_date)`);

    await q.query(`
      CREATE TABLE invoice_lines (
        tenant_id uuid NOT NULL,
        invoice_id bigint NOT NULL,
        line_no integer NOT NULL,
        product_id bigint,
        description text,
        quantity numeric NOT NULL,
        unit_price numeric NOT NULL,
        discount numeric NOT NULL DEFAULT 0,
        discount_percent numeric NOT NULL DEFAULT 0,
        tax_rate numeric NOT NULL DEFAULT 0,
        unit_cost numeric,
        net numeric NOT NULL,
        tax numeric NOT NULL,
        CONSTRAINT pk_invoice_lines PRIMARY KEY (tenant_id, invoice_id, line_no),
        CONSTRAINT fk_invoice_lines_invoice FOREIGN KEY (tenant_id, invoice_id)
          REFERENCES invoices (tenant_id, id) ON DELETE CASCADE,
        CONSTRAINT fk_invoice_lines_product FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
        CONSTRAINT ck_invoice_lines_quantity CHECK (quantity > 0),
        CONSTRAINT ck_invoice_lines_price CHECK (unit_price >= 0),
        CONSTRAINT ck_invoice_lines_discount CHECK (discount >= 0 AND discount_percent >= 0 AND discount_percent <= 100),
        CONSTRAINT ck_invoice_lines_tax_rate CHECK (tax_rate >= 0)
      )`);
    await q.query(`CREATE INDEX ix_invoice_lines_product ON invoice_lines (tenant_id, product_id)`);

    await q.query(`
      CREATE TABLE payments (
        tenant_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        external_id text NOT NULL,
        customer_id bigint NOT NULL,
        payment_date date NOT NULL,
        amount numeric NOT NULL,
        method text,
        currency char(3) NOT NULL,
        exchange_rate numeric NOT NULL DEFAULT 1,
        content_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_payments PRIMARY KEY (tenant_id, id),
        CONSTRAINT uq_payments_external_id UNIQUE (tenant_id, external_id),
        CONSTRAINT fk_payments_customer FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
        CONSTRAINT ck_payments_amount CHECK (amount > 0),
        CONSTRAINT ck_payments_exchange_rate CHECK (exchange_rate > 0)
      )`);
    await q.query(
      `CREATE INDEX ix_payments_customer_date ON payments (tenant_id, customer_id, payment_date)`,
    );

    await q.query(`
      CREATE TABLE payment_allocations (
        tenant_id uuid NOT NULL,
        payment_id bigint NOT NULL,
        invoice_id bigint NOT NULL,
        amount numeric NOT NULL,
        CONSTRAINT pk_payment_allocations PRIMARY KEY (tenant_id, payment_id, invoice_id),
        CONSTRAINT fk_payment_allocations_payment FOREIGN KEY (tenant_id, payment_id)
          REFERENCES payments (tenant_id, id) ON DELETE CASCADE,
        CONSTRAINT fk_payment_allocations_invoice FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
        CONSTRAINT ck_payment_allocations_amount CHECK (amount > 0)
      )`);
    await q.query(
      `CREATE INDEX ix_payment_allocations_invoice ON payment_allocations (tenant_id, invoice_id)`,
    );

    await q.query(`
      CREATE TABLE credit_notes (
        tenant_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        external_id text NOT NULL,
        number text,
        customer_id bigint NOT NULL,
        invoice_id bigint,
        issue_date date NOT NULL,
        status text NOT NULL DEFAULT 'issued',
        restock boolean NOT NULL DEFAULT true,
        reason text,
        currency char(3) NOT NULL,
        exchange_rate numeric NOT NULL DEFAULT 1,
        prices_include_tax boolean NOT NULL DEFAULT false,
        net numeric NOT NULL,
        tax numeric NOT NULL,
        total numeric NOT NULL,
        content_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_credit_notes PRIMARY KEY (tenant_id, id),
        CONSTRAINT uq_credit_notes_external_id UNIQUE (tenant_id, external_id),
        CONSTRAINT fk_credit_notes_customer FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
        CONSTRAINT fk_credit_notes_invoice FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
        CONSTRAINT ck_credit_notes_status CHECK (status IN ('draft', 'issued', 'void')),
        CONSTRAINT ck_credit_notes_exchange_rate CHECK (exchange_rate > 0)
      )`);
    await q.query(
      `CREATE INDEX ix_credit_notes_customer_date ON credit_notes (tenant_id, customer_id, issue_date)`,
    );
    await q.query(`CREATE INDEX ix_credit_notes_invoice ON credit_notes (tenant_id, invoice_id)`);

    await q.query(`
      CREATE TABLE credit_note_lines (
        tenant_id uuid NOT NULL,
        credit_note_id bigint NOT NULL,
        line_no integer NOT NULL,
        product_id bigint,
        description text,
        quantity numeric NOT NULL,
        unit_price numeric NOT NULL,
        discount numeric NOT NULL DEFAULT 0,
        discount_percent numeric NOT NULL DEFAULT 0,
        tax_rate numeric NOT NULL DEFAULT 0,
        unit_cost numeric,
        net numeric NOT NULL,
        tax numeric NOT NULL,
        CONSTRAINT pk_credit_note_lines PRIMARY KEY (tenant_id, credit_note_id, line_no),
        CONSTRAINT fk_credit_note_lines_credit_note FOREIGN KEY (tenant_id, credit_note_id)
          REFERENCES credit_notes (tenant_id, id) ON DELETE CASCADE,
        CONSTRAINT fk_credit_note_lines_product FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
        CONSTRAINT ck_credit_note_lines_quantity CHECK (quantity > 0),
        CONSTRAINT ck_credit_note_lines_price CHECK (unit_price >= 0),
        CONSTRAINT ck_credit_note_lines_discount CHECK (discount >= 0 AND discount_percent >= 0 AND discount_percent <= 100),
        CONSTRAINT ck_credit_note_lines_tax_rate CHECK (tax_rate >= 0)
      )`);
    await q.query(`CREATE INDEX ix_credit_note_lines_product ON credit_note_lines (tenant_id, product_id)`);

    await q.query(`
      CREATE TABLE inventory_snapshots (
        tenant_id uuid NOT NULL,
        product_id bigint NOT NULL,
        warehouse_id text NOT NULL,
        as_of date NOT NULL,
        on_hand numeric NOT NULL,
        on_order numeric NOT NULL DEFAULT 0,
        unit_cost numeric,
        content_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_inventory_snapshots PRIMARY KEY (tenant_id, product_id, warehouse_id, as_of),
        CONSTRAINT fk_inventory_snapshots_product FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
        CONSTRAINT ck_inventory_snapshots_on_hand CHECK (on_hand >= 0),
        CONSTRAINT ck_inventory_snapshots_on_order CHECK (on_order >= 0),
        CONSTRAINT ck_inventory_snapshots_unit_cost CHECK (unit_cost >= 0)
      )`);

    await q.query(`
      CREATE TABLE import_runs (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        resource text NOT NULL,
        format text NOT NULL,
        status text NOT NULL,
        received integer NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        error_count integer NOT NULL DEFAULT 0,
        api_key_id uuid,
        idempotency_key text,
        request_hash text NOT NULL,
        response_status integer,
        response_body jsonb,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        duration_ms integer,
        CONSTRAINT pk_import_runs PRIMARY KEY (tenant_id, id),
        CONSTRAINT fk_import_runs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
        CONSTRAINT ck_import_runs_status CHECK (status IN ('running', 'succeeded', 'rejected'))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_import_runs_idempotency_key ON import_runs (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX ix_import_runs_started ON import_runs (tenant_id, started_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'import_runs',
      'inventory_snapshots',
      'credit_note_lines',
      'credit_notes',
      'payment_allocations',
      'payments',
      'invoice_lines',
      'invoices',
      'products',
      'customers',
      'api_keys',
      'tenants',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
