import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Predictive CLV (DOMAIN.md §5): a fitted model per (tenant, asOf, time unit, model, horizon,
 * discount rate) with its diagnostics, and the per-customer predictions it produced. A row is served
 * only while its data_version and settings_hash are the tenant's (as snapshots, ADR 0008), so a read
 * never refits. `status = 'insufficient_data'` keeps the reason (too few repeat buyers) and the
 * customers' historical CLV, with no parameters: nothing made up.
 */
export class CreateClvModels1764100000000 implements MigrationInterface {
  name = 'CreateClvModels1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE clv_models (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        as_of date NOT NULL,
        time_unit text NOT NULL,
        model text NOT NULL,
        horizon_months integer NOT NULL,
        discount_rate numeric NOT NULL,
        status text NOT NULL,
        params jsonb,
        log_likelihood double precision,
        converged boolean,
        iterations integer,
        customers integer NOT NULL,
        repeat_buyers integer NOT NULL,
        distinct_tuples integer,
        spend_params jsonb,
        spend_log_likelihood double precision,
        spend_converged boolean,
        spend_iterations integer,
        spend_customers integer,
        data_version bigint NOT NULL,
        settings_hash text NOT NULL,
        fit_ms integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_clv_models PRIMARY KEY (tenant_id, id),
        CONSTRAINT uq_clv_models_key UNIQUE (tenant_id, as_of, time_unit, model, horizon_months, discount_rate, data_version, settings_hash),
        CONSTRAINT fk_clv_models_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
        CONSTRAINT ck_clv_models_time_unit CHECK (time_unit IN ('day', 'week')),
        CONSTRAINT ck_clv_models_model CHECK (model IN ('bg-nbd', 'pareto-nbd')),
        CONSTRAINT ck_clv_models_status CHECK (status IN ('fitted', 'insufficient_data')),
        CONSTRAINT ck_clv_models_params CHECK ((status = 'fitted') = (params IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE customer_predictions (
        tenant_id uuid NOT NULL,
        model_id uuid NOT NULL,
        customer_id bigint NOT NULL,
        first_purchase date NOT NULL,
        frequency integer NOT NULL,
        recency numeric NOT NULL,
        age numeric NOT NULL,
        monetary numeric,
        p_alive double precision,
        exp_30 double precision,
        exp_90 double precision,
        exp_365 double precision,
        expected_spend numeric,
        predicted_clv numeric,
        margin_ratio numeric,
        margin_clv numeric,
        historical_clv numeric NOT NULL,
        historical_margin numeric,
        next_expected_date date,
        CONSTRAINT pk_customer_predictions PRIMARY KEY (tenant_id, model_id, customer_id),
        CONSTRAINT fk_customer_predictions_model FOREIGN KEY (tenant_id, model_id)
          REFERENCES clv_models (tenant_id, id) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS customer_predictions`);
    await q.query(`DROP TABLE IF EXISTS clv_models`);
  }
}
