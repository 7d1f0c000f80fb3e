/** Packaging config and the page's CSP, checked without Electron or Forge installed. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../electron/ipc-guard.ts';
import forgeConfig from '../forge.config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function directives(csp: string): Map<string, string> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name, values.join(' ')] as [string, string];
      }),
  );
}

describe('electron-builder.yml', () => {
  const yaml = require('js-yaml') as { load(s: string): Record<string, unknown> };
  const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));

  it("passes electron-builder's own schema validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(c: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
    };
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
    // and the validation is real: an unknown option is refused
    await expect(validateConfiguration({ ...config, linux: { bogus: true } }, { isEnabled: false, add() {} })).rejects.toThrow(/configuration/i);
  });

  it('packages the bundles, names the app and targets AppImage/deb, dmg, nsis', () => {
    expect(config).toMatchObject({
      productName: 'Driftlab',
      appId: expect.stringMatching(/\./),
      extraMetadata: { main: 'dist/electron/main.cjs' },
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: 'dmg' },
      win: { target: 'nsis' },
    });
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**']));
  });

  it('associates run bundles (.driftlab) with the app and has a 512×512 icon in build/', () => {
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'driftlab', role: 'Viewer' })]);
    const png = readFileSync(path.join(root, (config.directories as { buildResources: string }).buildResources, 'icon.png'));
    expect([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});

describe('forge.config.ts', () => {
  it('builds main and preload from electron/ and the renderer from renderer/vite.config.ts', () => {
    const vite = forgeConfig.plugins.find((p) => p.name === '@electron-forge/plugin-vite');
    expect(vite).toBeDefined();
    const cfg = vite!.config as { build: { entry: string; config: string }[]; renderer: { name: string; config: string }[] };
    expect(cfg.build.map((b) => b.entry)).toEqual(['electron/main.ts', 'electron/preload.ts']);
    expect(cfg.renderer).toEqual([{ name: 'main_window', config: 'renderer/vite.config.ts' }]);
    for (const f of [...cfg.build.map((b) => b.config), ...cfg.renderer.map((r) => r.config), ...cfg.build.map((b) => b.entry)]) {
      expect(() => readFileSync(path.join(root, f)), f).not.toThrow();
    }
  });
});

describe('Content-Security-Policy', () => {
  it("the page's meta tag and the main process header agree (frame-ancestors only works as a header)", () => {
    const html = readFileSync(path.join(root, 'renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const page = directives(meta!);
    const header = directives(contentSecurityPolicy());
    header.delete('frame-ancestors');
    expect(Object.fromEntries(page)).toEqual(Object.fromEntries(header));
    expect(page.get('script-src')).toBe("'self' 'wasm-unsafe-eval'");
    expect(page.get('worker-src')).toBe("'self' blob:");
  });
});

describe('layering', () => {
  it('the renderer takes only types from electron/ (it talks to the main process through window.driftlab)', () => {
    const { readdirSync } = require('node:fs') as typeof import('node:fs');
    const dir = path.join(root, 'renderer');
    const offenders: string[] = [];
    for (const f of readdirSync(dir, { recursive: true }) as string[]) {
      if (!/\.(ts|tsx|js|mjs)$/.test(f)) continue;
      const src = readFileSync(path.join(dir, f), 'utf8');
      for (const m of src.matchAll(/^\s*(import|export)\s+([^'"]*?)\s*from\s*['"]([^'"]+)['"]/gm)) {
        const spec = m[3];
        if ((spec.includes('/electron/') || spec === 'electron') && !/^type\b/.test(m[2])) offenders.push(`${f}: ${m[0].trim()}`);
      }
      if (/import\(\s*['"][^'"]*electron/.test(src)) offenders.push(`${f}: dynamic import of electron`);
    }
    expect(offenders).toEqual([]);
  });
});
