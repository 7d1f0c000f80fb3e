import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinModules } from 'node:module';

/**
 * The layering rule of DESIGN.md §2: sim ← agents ← lab ← {cli, renderer, electron}.
 * sim/, agents/ and lab/ are isomorphic: no DOM, no Node built-ins, no Electron, no clock, no Math.random.
 */
const root = join(import.meta.dirname, '..');
const layers: Record<string, string[]> = {
  sim: [],
  agents: ['sim'],
  lab: ['sim', 'agents'],
  cli: ['sim', 'agents', 'lab'],
  renderer: ['sim', 'agents', 'lab'],
  electron: ['lab'],
};
const folders = Object.keys(layers);
const core = new Set(['sim', 'agents', 'lab']);
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

/** Which violations a source file of `folder` at `file` has. */
export function violations(folder: string, file: string, src: string): string[] {
  const bad: string[] = [];
  for (const { spec, typeOnly } of importsOf(src)) {
    if (builtins.has(spec) || spec === 'electron') {
      if (core.has(folder)) bad.push(`imports ${spec}`);
      if (folder === 'renderer') bad.push(`imports ${spec}`);
      continue;
    }
    if (!spec.startsWith('.')) continue;
    const target = relative(root, join(file, '..', spec)).split(/[\\/]/)[0];
    if (!folders.includes(target) || target === folder) continue;
    const allowed = layers[folder].includes(target) || (folder === 'renderer' && target === 'electron' && typeOnly);
    if (!allowed) bad.push(`imports ${spec} (${folder} may not depend on ${target})`);
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
    expect(violations('sim', join(root, 'sim/x.ts'), "import fs from 'node:fs';")).toEqual(['imports node:fs']);
    expect(violations('sim', join(root, 'sim/x.ts'), "import { a } from '../lab/y.ts';")[0]).toMatch(/sim may not depend on lab/);
    expect(violations('agents', join(root, 'agents/x.ts'), 'const x = Math.random();')).toEqual(['uses Math.random']);
    expect(violations('lab', join(root, 'lab/x.ts'), 'const t = Date.now();')).toEqual(['uses clock time (Date)']);
    expect(violations('lab', join(root, 'lab/x.ts'), "import { x } from 'electron';")).toEqual(['imports electron']);
    expect(violations('renderer', join(root, 'renderer/x.ts'), "import type { Api } from '../electron/api.ts';")).toEqual([]);
    expect(violations('renderer', join(root, 'renderer/x.ts'), "import { h } from '../electron/ipc.ts';")[0]).toMatch(/renderer may not depend on electron/);
    expect(violations('sim', join(root, 'sim/x.ts'), 'document.body.append(x);')).toEqual(['uses DOM globals']);
    expect(violations('lab', join(root, 'lab/x.ts'), 'const w = recipe.window.length;')).toEqual([]);
    expect(violations('lab', join(root, 'lab/x.ts'), "import { z } from 'zod';\n// Math.random() in a comment")).toEqual([]);
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
