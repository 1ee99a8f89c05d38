import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The web client, built into dist/web and served by the API at / (WebController).
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // No inline scripts or module preload polyfill: the API's CSP allows only 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/auth': 'http://localhost:3000' } },
});
