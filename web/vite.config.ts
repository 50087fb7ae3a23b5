import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by Osprey itself (src/server/http.ts) from web/dist at `/`.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
