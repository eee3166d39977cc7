// Vite for the web app: `npm run build:web` writes web/dist (served by the gateway at /), and
// `npm run dev:web` serves the app with hot reload, proxying the gateway's routes (GraphQL over
// HTTP and WebSocket, uploads) to GATEWAY_URL — the same origin as far as the browser knows.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Browsers of the last few years: native ESM, dynamic import, optional chaining.
    target: 'es2022',
    // No inline `<script>`: the Content-Security-Policy allows only files from this origin.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: gateway, ws: true, changeOrigin: false },
      '/api': { target: gateway },
      '/healthz': { target: gateway },
      '/readyz': { target: gateway },
    },
  },
});
