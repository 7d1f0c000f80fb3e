import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinModules } from 'node:module';

/**
 * The layering rule of DESIGN.md §2: sim ← agents ← lab ← {cli, renderer, electron}, as allow-lists in the
 * manner of VS Code's import-pattern rule: each folder names the project folders and the npm packages it may
 * import (inherited down the layers). sim/, agents/ and lab/ are isomorphic: no DOM, no Node built-ins, no
 * Electron, no native addon, no clock, no Math.random. Node built-ins and native addons (@resvg/resvg-js) only
 * in cli/ and electron/ (scripts/, bench/ and test/ are Node tools and not checked). The renderer never imports
 * from electron/: the IPC types both sides use live in shared/.
 */
const root = join(import.meta.dirname, '..');
interface Layer {
  /** project folders it may import */
  folders: string[];
  /** npm packages it may import (by package name, subpaths included) */
  packages: string[];
  /** Node built-ins allowed */
  node: boolean;
}
const simPackages = ['matter-js'];
const agentsPackages = [...simPackages, '@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'];
/** pure libraries: run unchanged in a browser, a Web Worker and Node */
const labPackages = [...agentsPackages, 'zod', 'gifenc'];
export const layers: Record<string, Layer> = {
  sim: { folders: [], packages: simPackages, node: false },
  agents: { folders: ['sim'], packages: agentsPackages, node: false },
  lab: { folders: ['sim', 'agents'], packages: labPackages, node: false },
  shared: { folders: [], packages: [], node: false },
  cli: { folders: ['sim', 'agents', 'lab'], packages: [...labPackages, 'vega', 'vega-lite', '@resvg/resvg-js', '@jsquash/webp', 'tsx'], node: true },
  renderer: { folders: ['sim', 'agents', 'lab', 'shared'], packages: [...labPackages, 'pixi.js', 'vega', 'vega-lite', 'vega-interpreter', '@preact/signals-core'], node: false },
  electron: { folders: ['lab', 'shared'], packages: [...labPackages, 'electron', 'vite', 'esbuild'], node: true },
};
const folders = Object.keys(layers);
const core = new Set(['sim', 'agents', 'lab', 'shared']);
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function files(dir: string): string[] {
  const out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx|mts)$/.test(e)) out.push(p);
  }
  return out;
}

interface Import {
  spec: string;
  typeOnly: boolean;
}

export function importsOf(src: string): Import[] {
  const out: Import[] = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/g;
  for (let m = re.exec(src); m; m = re.exec(src)) out.push({ spec: m[3], typeOnly: Boolean(m[2]) });
  const dyn = /import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = dyn.exec(src); m; m = dyn.exec(src)) out.push({ spec: m[1], typeOnly: false });
  return out;
}

/** The npm package a bare specifier names: `@scope/name/sub` → `@scope/name`, `tsx/esm/api` → `tsx`. */
export function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Which violations a source file of `folder` at `file` has. */
export function violations(folder: string, file: string, src: string): string[] {
  const bad: string[] = [];
  const layer = layers[folder];
  for (const { spec } of importsOf(src)) {
    if (builtins.has(spec)) {
      if (!layer.node) bad.push(`imports ${spec} (Node built-ins only in cli/ and electron/)`);
      continue;
    }
    if (!spec.startsWith('.')) {
      const pkg = packageOf(spec);
      if (!layer.packages.includes(pkg)) bad.push(`imports ${spec} (${folder} may use only ${layer.packages.join(', ') || 'no package'})`);
      continue;
    }
    const target = relative(root, join(file, '..', spec)).split(/[\\/]/)[0];
    if (!folders.includes(target) || target === folder) continue;
    if (!layer.folders.includes(target)) bad.push(`imports ${spec} (${folder} may not depend on ${target})`);
  }
  if (core.has(folder)) {
    const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const [re, what] of [
      [/\bMath\.random\s*\(/, 'Math.random'],
      [/\bDate\.now\s*\(|\bnew Date\s*\(/, 'clock time (Date)'],
      [/\bperformance\.now\s*\(/, 'clock time (performance.now)'],
      [/(?<![.\w])(window|document|localStorage|navigator)\s*\./, 'DOM globals'],
      [/\bprocess\.(env|argv|exit|cwd|stdout|stderr)/, 'Node process'],
      [/\brequire\s*\(/, 'require'],
    ] as const) {
      if (re.test(code)) bad.push(`uses ${what}`);
    }
  }
  return bad;
}

describe('layering', () => {
  it('the checker catches what it must', () => {
    expect(violations('sim', join(root, 'sim/x.ts'), "import fs from 'node:fs';")).toEqual(['imports node:fs (Node built-ins only in cli/ and electron/)']);
    expect(violations('sim', join(root, 'sim/x.ts'), "import { a } from '../lab/y.ts';")[0]).toMatch(/sim may not depend on lab/);
    expect(violations('agents', join(root, 'agents/x.ts'), 'const x = Math.random();')).toEqual(['uses Math.random']);
    expect(violations('lab', join(root, 'lab/x.ts'), 'const t = Date.now();')).toEqual(['uses clock time (Date)']);
    expect(violations('lab', join(root, 'lab/x.ts'), "import { x } from 'electron';")[0]).toMatch(/^imports electron \(lab may use only /);
    expect(violations('renderer', join(root, 'renderer/x.ts'), "import type { Api } from '../shared/api.ts';")).toEqual([]);
    expect(violations('electron', join(root, 'electron/x.ts'), "import { Channels } from '../shared/api.ts';")).toEqual([]);
    // the renderer talks to the main process only through the types in shared/, not even `import type` from electron/
    expect(violations('renderer', join(root, 'renderer/x.ts'), "import type { Api } from '../electron/api.ts';")[0]).toMatch(/renderer may not depend on electron/);
    expect(violations('renderer', join(root, 'renderer/x.ts'), "import { h } from '../electron/ipc.ts';")[0]).toMatch(/renderer may not depend on electron/);
    expect(violations('sim', join(root, 'sim/x.ts'), 'document.body.append(x);')).toEqual(['uses DOM globals']);
    expect(violations('lab', join(root, 'lab/x.ts'), 'const w = recipe.window.length;')).toEqual([]);
    expect(violations('lab', join(root, 'lab/x.ts'), "import { z } from 'zod';\n// Math.random() in a comment")).toEqual([]);
  });

  it('packages are allowed per layer: a lab/ probe importing pixi.js and a sim/ probe importing node:fs fail', () => {
    const labProbe = "import { Application } from 'pixi.js';\nexport const app = new Application();";
    expect(violations('lab', join(root, 'lab/probe.ts'), labProbe)).toEqual([`imports pixi.js (lab may use only ${layers.lab.packages.join(', ')})`]);
    expect(layers.lab.packages).toEqual(expect.arrayContaining(['matter-js', '@tensorflow/tfjs', 'zod']));
    const simProbe = "import { readFileSync } from 'node:fs';\nexport const read = () => readFileSync('x');";
    expect(violations('sim', join(root, 'sim/probe.ts'), simProbe)).toEqual(['imports node:fs (Node built-ins only in cli/ and electron/)']);
    // a native addon, tfjs below agents/, a subpath of an unlisted package, a type-only package import
    expect(violations('lab', join(root, 'lab/probe.ts'), "import { Resvg } from '@resvg/resvg-js';")[0]).toMatch(/^imports @resvg\/resvg-js /);
    expect(violations('sim', join(root, 'sim/probe.ts'), "import * as tf from '@tensorflow/tfjs';")[0]).toMatch(/sim may use only matter-js\)/);
    expect(violations('agents', join(root, 'agents/probe.ts'), "import { compile } from 'vega-lite/build/index.js';")[0]).toMatch(/^imports vega-lite\/build/);
    expect(violations('renderer', join(root, 'renderer/probe.ts'), "import type { Stats } from 'node:fs';")[0]).toMatch(/Node built-ins only/);
    expect(violations('renderer', join(root, 'renderer/probe.ts'), "import { Resvg } from '@resvg/resvg-js';")[0]).toMatch(/^imports @resvg/);
    // what each layer may use passes
    expect(violations('sim', join(root, 'sim/probe.ts'), "import Matter from 'matter-js';")).toEqual([]);
    expect(violations('agents', join(root, 'agents/probe.ts'), "import '@tensorflow/tfjs-backend-wasm';")).toEqual([]);
    expect(violations('cli', join(root, 'cli/probe.ts'), "import { Resvg } from '@resvg/resvg-js';\nimport fs from 'node:fs';")).toEqual([]);
    expect(violations('electron', join(root, 'electron/probe.ts'), "import { app } from 'electron';\nimport path from 'node:path';")).toEqual([]);
    expect(packageOf('@scope/name/sub/path.js')).toBe('@scope/name');
    expect(packageOf('tsx/esm/api')).toBe('tsx');
  });

  it('every source file respects its layer', () => {
    const problems: string[] = [];
    let count = 0;
    for (const folder of folders) {
      for (const f of files(join(root, folder))) {
        // build configuration runs in Node, not in the layer it configures
        if (/\.config\.ts$/.test(f)) continue;
        count++;
        for (const v of violations(folder, f, readFileSync(f, 'utf8'))) problems.push(`${relative(root, f)}: ${v}`);
      }
    }
    expect(count).toBeGreaterThan(3);
    expect(problems).toEqual([]);
  });
});
