import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The dashboard's build: web/ → web/dist (served by src/web/web-app.ts). No inline script is emitted. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', development: false } },
  // always React's production build: a build started with NODE_ENV=test (jest's e2e set-up builds the
  // dashboard) would otherwise bundle React's development build, whose StrictMode runs every effect twice
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
});
