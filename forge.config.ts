/**
 * Electron Forge configuration — optional. `npm start` (electron/start.ts) and `npm run dist`
 * (electron-builder) need only what `npm ci` installs; this file keeps the same build working for
 * those who use Forge.
 *
 * Forge is not a dependency of this repository (Forge 8 needs Node ≥ 22.13). On a machine that has
 * it: `npm i -D @electron-forge/cli @electron-forge/plugin-vite @electron-forge/maker-squirrel
 * @electron-forge/maker-zip @electron-forge/maker-deb`, then `npx electron-forge start` (package.json's
 * "main" already points at Forge's output, .vite/build/main.cjs) or `npx electron-forge make`.
 *
 * The config is written with plugin/maker *names* (Forge resolves them) rather than imports, so it
 * typechecks without Forge installed; ForgeConfigLike below mirrors the fields used.
 */

interface ForgePluginLike {
  name: string;
  config: Record<string, unknown>;
}
interface ForgeMakerLike {
  name: string;
  platforms?: string[];
  config: Record<string, unknown>;
}
export interface ForgeConfigLike {
  packagerConfig: Record<string, unknown>;
  rebuildConfig: Record<string, unknown>;
  makers: ForgeMakerLike[];
  plugins: ForgePluginLike[];
}

const config: ForgeConfigLike = {
  packagerConfig: {
    name: 'Driftlab',
    executableName: 'driftlab',
    appBundleId: 'org.driftlab.app',
    icon: 'build/icon',
    // the Vite plugin packages only its .vite/ output: everything the app runs is bundled into it
    asar: true,
  },
  rebuildConfig: {},
  makers: [
    { name: '@electron-forge/maker-squirrel', config: { name: 'driftlab' } },
    { name: '@electron-forge/maker-zip', platforms: ['darwin'], config: {} },
    { name: '@electron-forge/maker-deb', config: { options: { categories: ['Education'] } } },
  ],
  plugins: [
    {
      name: '@electron-forge/plugin-vite',
      config: {
        // main process and preload (CommonJS: sandboxed preloads cannot be ES modules)
        build: [
          { entry: 'electron/main.ts', config: 'electron/vite.main.config.ts', target: 'main' },
          { entry: 'electron/preload.ts', config: 'electron/vite.preload.config.ts', target: 'preload' },
        ],
        // the renderer: the same Vite app as `npm run web`
        renderer: [{ name: 'main_window', config: 'renderer/vite.config.ts' }],
      },
    },
  ],
};

export default config;
