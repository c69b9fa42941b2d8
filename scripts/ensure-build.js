// `npm start` runs the built service; this builds it first when dist/ is missing or older than the
// sources (and skips building where the compiler is not installed, as in the production image).
const { existsSync, statSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const { execSync } = require('node:child_process');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'src', 'main.js');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const hasCompiler = existsSync(join(root, 'node_modules', 'typescript'));
const stale = !existsSync(entry) || (hasCompiler && newest(join(root, 'src')) > statSync(entry).mtimeMs);
if (stale) {
  if (!hasCompiler) {
    console.error('dist/ is missing and TypeScript is not installed: run npm install, then npm start');
    process.exit(1);
  }
  execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
}
