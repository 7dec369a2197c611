// The app's build: React, served under /shop/ (the gateway routes /shop/ to the storefront
// server), hashed files under /shop/assets/, into dist/public beside the compiled server.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/shop/',
  root: 'src',
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: '../dist/public',
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline module preload polyfill or inlined assets: the CSP allows no inline script, and
    // img-src 'self' data: is all an inlined asset could use.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
  },
});
