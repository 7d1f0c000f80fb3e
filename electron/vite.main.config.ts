/** Vite config for the main process under Electron Forge's Vite plugin (see forge.config.ts). */
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    rollupOptions: {
      external: ['electron'],
      // package.json is "type": "module": name the CommonJS output .cjs
      output: { format: 'cjs', entryFileNames: '[name].cjs' },
    },
  },
});
