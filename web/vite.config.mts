import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The web client, built into web/dist and served by the API at / (WebController). Not under
// dist/, which the API's compiler empties whenever it starts (also in watch mode).
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or module preload polyfill: the API's CSP allows only 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/auth': 'http://localhost:3000' } },
});
