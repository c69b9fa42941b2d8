import { readdirSync } from 'node:fs';
import { MigrationInterface } from 'typeorm';

/**
 * Every migration in this folder (`<timestamp>-<VerbNoun>.ts`, compiled to .js in dist), in
 * timestamp order. Discovered rather than listed so that adding a migration is adding a file.
 */
type MigrationClass = new () => MigrationInterface;

const FILE = /^(\d{13})-[A-Za-z0-9]+\.(ts|js)$/;

export const MIGRATIONS: MigrationClass[] = readdirSync(__dirname)
  .filter((f) => FILE.test(f) && !f.endsWith('.d.ts'))
  .sort()
  .map((f) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`./${f}`) as Record<string, unknown>;
    const cls = Object.values(mod).find((v) => typeof v === 'function');
    if (!cls) throw new Error(`migration ${f} exports no class`);
    return cls as MigrationClass;
  });
