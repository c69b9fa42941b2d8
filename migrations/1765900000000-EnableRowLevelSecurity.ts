import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security as a second wall behind every query's own `WHERE tenant_id = …` (ADR 0014).
 *
 * - harakah_enable_rls(table) gives a table the tenant_isolation policy: a row is visible and
 *   writable when its tenant_id is app.tenant_id, or when app.system is on (workers, admin). Later
 *   migrations that add a tenant table call it; an e2e test fails while any tenant table lacks it.
 * - Every table with a tenant_id column gets it now (partitions are reached through their parent,
 *   whose policy applies), and tenants itself a policy on its id.
 * - Role harakah_app (NOLOGIN): the role request work runs as (SET ROLE from the service's login
 *   role). It owns nothing, so the policies bind it; it may read and write rows, nothing more.
 *   Where the migrating role may not create roles, this part is skipped with a notice and
 *   docs/deployment.md says how to connect as a non-owner role instead.
 */
const policy = (column: string) => `current_setting('app.system', true) = 'on'
                OR ${column} = nullif(current_setting('app.tenant_id', true), '')::uuid`;
const POLICY = policy('tenant_id');

export class EnableRowLevelSecurity1765900000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION harakah_enable_rls(t regclass) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %s USING (${POLICY}) WITH CHECK (${POLICY})$p$, t);
      END
      $fn$`);
    await q.query(`
      DO $do$
      DECLARE r record;
      BEGIN
        FOR r IN
          SELECT c.oid::regclass AS t
            FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
           WHERE c.relnamespace = current_schema()::regnamespace
             AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        LOOP
          PERFORM harakah_enable_rls(r.t);
        END LOOP;
      END
      $do$`);
    await q.query(`ALTER TABLE tenants ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON tenants
        USING (${policy('id')}) WITH CHECK (${policy('id')})`);
    await q.query(`
      DO $do$
      BEGIN
        -- the role is the server's, shared by its databases: several may be migrated at once
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'harakah_app') THEN
            CREATE ROLE harakah_app NOLOGIN;
          END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
        IF NOT pg_has_role(current_user, 'harakah_app', 'MEMBER') THEN
          BEGIN
            EXECUTE format('GRANT harakah_app TO %I', current_user);
          EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
          END;
        END IF;
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO harakah_app', current_schema());
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO harakah_app', current_schema());
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO harakah_app', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO harakah_app', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO harakah_app', current_schema());
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'role harakah_app not created (%): connect as a non-owner role instead (docs/deployment.md)', SQLERRM;
      END
      $do$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $do$
      DECLARE r record;
      BEGIN
        FOR r IN
          SELECT c.oid::regclass AS t FROM pg_class c
           WHERE c.relnamespace = current_schema()::regnamespace AND c.relrowsecurity
        LOOP
          EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', r.t);
          EXECUTE format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', r.t);
        END LOOP;
      END
      $do$`);
    await q.query(`DROP FUNCTION IF EXISTS harakah_enable_rls(regclass)`);
    // the role stays: other databases on the server may use it
  }
}
