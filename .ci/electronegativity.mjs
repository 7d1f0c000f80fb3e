#!/usr/bin/env node
/**
 * CI: Electronegativity (Doyensec's Electron security linter) on electron/; fails on any medium or
 * high finding that is not reviewed below. Usage: node .ci/electronegativity.mjs <path to the
 * electronegativity binary>. `-e 45.0.0` names the Electron version, so it needs no release list.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Findings reviewed and accepted, with the reason. */
const REVIEWED = {
  PRELOAD_JS_CHECK: 'the app has one preload by design: electron/preload.ts exposes a few typed functions through contextBridge (reviewed)',
};

const bin = process.argv[2];
if (!bin) {
  console.error('usage: node .ci/electronegativity.mjs <electronegativity binary>');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const csv = join(dir, 'findings.csv');
const r = spawnSync(bin, ['-i', 'electron', '-e', '45.0.0', '-r', '-v', 'false', '-o', csv], { encoding: 'utf8', timeout: 300_000 });
let text;
try {
  text = readFileSync(csv, 'utf8');
} catch {
  console.error(`electronegativity wrote no findings file (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const rows = text
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const cells = [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].map((m) => (m[2] !== undefined ? m[2] : m[1]));
    return { check: cells[0], severity: cells[1], confidence: cells[2], file: cells[3], location: cells[4], description: cells[6] };
  });
let failed = 0;
for (const f of rows) {
  const serious = f.severity === 'MEDIUM' || f.severity === 'HIGH' || f.severity === 'CRITICAL';
  const reviewed = REVIEWED[f.check];
  const verdict = !serious ? 'low' : reviewed ? `reviewed: ${reviewed}` : 'NEW';
  if (serious && !reviewed) failed++;
  console.log(`electronegativity: ${f.check} ${f.severity}/${f.confidence} ${f.file}:${f.location} — ${f.description} [${verdict}]`);
}
console.log(`electronegativity: ${rows.length} findings, ${failed} new medium/high`);
process.exit(failed > 0 ? 1 : 0);
