/** Read-back queries. $1 is always the tenant id. */
export const RECORD_QUERIES = {
  customer: `SELECT * FROM customers WHERE tenant_id = $1 AND external_id = $2`,

  product: `SELECT * FROM products WHERE tenant_id = $1 AND external_id = $2`,

  /** the latest snapshot per warehouse */
  productStock: `
    SELECT DISTINCT ON (warehouse_id) warehouse_id, as_of, on_hand, on_order, unit_cost
      FROM inventory_snapshots
     WHERE tenant_id = $1 AND product_id = $2
     ORDER BY warehouse_id, as_of DESC`,

  /** $2 customer external id or null, $3/$4 date range or null, ($5, $6) keyset cursor, $7 limit */
  invoices: `
    SELECT i.*, c.external_id AS customer_external_id,
           COALESCE(a.allocated, 0) AS allocated,
           i.total - COALESCE(a.allocated, 0) AS open
      FROM invoices i
      JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
      LEFT JOIN LATERAL (
        SELECT sum(amount) AS allocated FROM (
          SELECT pa.amount FROM payment_allocations pa
           WHERE pa.tenant_id = i.tenant_id AND pa.invoice_id = i.id
          UNION ALL
          SELECT n.total FROM credit_notes n
           WHERE n.tenant_id = i.tenant_id AND n.invoice_id = i.id AND n.status = 'issued'
        ) s
      ) a ON true
     WHERE i.tenant_id = $1
       AND ($2::text IS NULL OR c.external_id = $2)
       AND ($3::date IS NULL OR i.issue_date >= $3)
       AND ($4::date IS NULL OR i.issue_date <= $4)
       AND ($5::date IS NULL OR (i.issue_date, i.id) > ($5::date, $6::bigint))
     ORDER BY i.issue_date, i.id
     LIMIT $7`,

  invoiceLines: `
    SELECT l.*, p.external_id AS product_external_id
      FROM invoice_lines l
      LEFT JOIN products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
     WHERE l.tenant_id = $1 AND l.invoice_id = ANY($2::bigint[])
     ORDER BY l.invoice_id, l.line_no`,
};
