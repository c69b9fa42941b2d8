import { types as pgTypes } from 'pg';

/**
 * How column types come back to TypeScript, the same on PostgreSQL and PGlite:
 * NUMERIC → decimal string (never a float), DATE → 'YYYY-MM-DD' string (no time zone shift),
 * BIGINT → number (counts and identity ids stay far below 2^53).
 */
const DATE_OID = 1082;
const INT8_OID = 20;

export function installPgTypeParsers(): void {
  pgTypes.setTypeParser(DATE_OID, (v: string) => v);
  pgTypes.setTypeParser(INT8_OID, (v: string) => Number(v));
}
