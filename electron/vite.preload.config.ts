/** Vite config for the preload under Electron Forge's Vite plugin: one CommonJS file, only 'electron' external. */
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    rollupOptions: {
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
    },
  },
});
