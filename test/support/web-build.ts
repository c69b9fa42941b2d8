import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const dist = join(root, 'web', 'dist', 'index.html');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Builds the dashboard (web/ → web/dist, as `npm run build` does) when it is missing or older than
 * its sources, so the e2e specs serve what the sources say. One build at a time across jest workers
 * (a lock directory); the others wait for it.
 */
export function ensureWebBuild(): void {
  const fresh = () =>
    existsSync(dist) &&
    statSync(dist).mtimeMs >=
      Math.max(newest(join(root, 'web', 'src')), statSync(join(root, 'web', 'index.html')).mtimeMs);
  if (fresh()) return;
  const lock = join(root, 'web', '.build-lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      execFileSync('sleep', ['0.5']);
      if (fresh()) return;
    }
  }
  try {
    if (!fresh()) {
      execFileSync(
        process.execPath,
        [
          join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
          'build',
          '--config',
          join(root, 'web', 'vite.config.mts'),
          '--logLevel',
          'warn',
        ],
        {
          cwd: root,
          stdio: 'inherit',
        },
      );
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
