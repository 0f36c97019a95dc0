import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the admin UI into dist/, which the Nest app serves at / (src/ui). `npm run dev` serves it
 * with hot reload and forwards /api and /health to an app running on port 3000.
 */
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: 'hidden', target: 'es2022' },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
  },
});
