#!/usr/bin/env node
/**
 * Generates agents/wasm-kernel.wat (the text) and agents/wasm-kernel-bytes.ts (the compiled module,
 * base64) — the WebAssembly SIMD matrix product behind agents/mlp-train.ts's kernels.
 *
 *   node scripts/wasm-kernel.mjs          write both files
 *   node scripts/wasm-kernel.mjs --check  exit 1 if either file differs from what this script makes
 *
 * One function does every product the trainer needs:
 *   mm(A, rs, ts, B, bias, C, R, T, M):  C[r·M + j] = bias[j] + Σ_{t = 0 … T−1} A[r·rs + t·ts] · B[t·M + j]
 * (addresses in bytes, strides in elements, f64; bias < 0 starts every sum at 0). The sum over t runs
 * in order, each product rounded before it is added (f64x2.mul then f64x2.add: no fused
 * multiply-add), so every output has the bits of the plain JavaScript loop `s += a * b`. The SIMD
 * lanes are neighbouring output columns j, j + 1; a block is two rows × eight columns (eight
 * accumulators), then two columns, then one. `transpose(S, D, K, M)` writes D[j·K + p] = S[p·M + j].
 * Bytes 0–7 of memory hold 1.0 (A = 0 with rs = ts = 0 makes mm sum columns); 8–15 are zero.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

/** v128 accumulators per row in the main block (4 → eight f64 columns). */
const CB = 4;

export function kernelWat() {
  const lines = [];
  const p = (s) => lines.push(s);
  const get = (n) => `(local.get $${n})`;
  const col = (base) => `(i32.add ${get(base)} (i32.shl ${get('j')} (i32.const 3)))`;
  // columns j … j + 2·cb − 1 of `rows` (1 or 2) rows
  const block = (rows, cb) => {
    const q = [];
    for (let c = 0; c < cb; c++) {
      q.push(`(local.set $s0_${c} (if (result v128) (i32.lt_s ${get('bias')} (i32.const 0)) (then (v128.const f64x2 0 0)) (else (v128.load offset=${16 * c} ${col('bias')}))))`);
      if (rows > 1) q.push(`(local.set $s1_${c} ${get(`s0_${c}`)})`);
    }
    q.push(`(local.set $a0 ${get('ar0')}) (local.set $a1 ${get('ar1')}) (local.set $b ${col('B')}) (local.set $t (i32.const 0))`);
    q.push(`(block $done (loop $next (br_if $done (i32.ge_s ${get('t')} ${get('T')}))`);
    q.push(`  (local.set $x0 (f64x2.splat (f64.load ${get('a0')})))`);
    if (rows > 1) q.push(`  (local.set $x1 (f64x2.splat (f64.load ${get('a1')})))`);
    for (let c = 0; c < cb; c++) {
      q.push(`  (local.set $w (v128.load offset=${16 * c} ${get('b')}))`);
      q.push(`  (local.set $s0_${c} (f64x2.add ${get(`s0_${c}`)} (f64x2.mul ${get('x0')} ${get('w')})))`);
      if (rows > 1) q.push(`  (local.set $s1_${c} (f64x2.add ${get(`s1_${c}`)} (f64x2.mul ${get('x1')} ${get('w')})))`);
    }
    q.push(`  (local.set $a0 (i32.add ${get('a0')} ${get('tsb')})) (local.set $a1 (i32.add ${get('a1')} ${get('tsb')})) (local.set $b (i32.add ${get('b')} ${get('mb')}))`);
    q.push(`  (local.set $t (i32.add ${get('t')} (i32.const 1))) (br $next)))`);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cb; c++) q.push(`(v128.store offset=${16 * c} ${col(`c${r}`)} ${get(`s${r}_${c}`)})`);
    return q.join('\n');
  };
  // the last column when M is odd
  const single = (rows) => {
    const q = [];
    q.push(`(local.set $f0 (if (result f64) (i32.lt_s ${get('bias')} (i32.const 0)) (then (f64.const 0)) (else (f64.load ${col('bias')})))) (local.set $f1 ${get('f0')})`);
    q.push(`(local.set $a0 ${get('ar0')}) (local.set $a1 ${get('ar1')}) (local.set $b ${col('B')}) (local.set $t (i32.const 0))`);
    q.push(`(block $done (loop $next (br_if $done (i32.ge_s ${get('t')} ${get('T')}))`);
    q.push(`  (local.set $f0 (f64.add ${get('f0')} (f64.mul (f64.load ${get('a0')}) (f64.load ${get('b')}))))`);
    if (rows > 1) q.push(`  (local.set $f1 (f64.add ${get('f1')} (f64.mul (f64.load ${get('a1')}) (f64.load ${get('b')}))))`);
    q.push(`  (local.set $a0 (i32.add ${get('a0')} ${get('tsb')})) (local.set $a1 (i32.add ${get('a1')} ${get('tsb')})) (local.set $b (i32.add ${get('b')} ${get('mb')}))`);
    q.push(`  (local.set $t (i32.add ${get('t')} (i32.const 1))) (br $next)))`);
    q.push(`(f64.store ${col('c0')} ${get('f0')})`);
    if (rows > 1) q.push(`(f64.store ${col('c1')} ${get('f1')})`);
    return q.join('\n');
  };
  const rowsBody = (rows) => [
    `(local.set $j (i32.const 0))`,
    `(block $wide (loop $more (br_if $wide (i32.gt_s (i32.add ${get('j')} (i32.const ${2 * CB})) ${get('M')}))`,
    block(rows, CB),
    `(local.set $j (i32.add ${get('j')} (i32.const ${2 * CB}))) (br $more)))`,
    `(block $pair (loop $more (br_if $pair (i32.gt_s (i32.add ${get('j')} (i32.const 2)) ${get('M')}))`,
    block(rows, 1),
    `(local.set $j (i32.add ${get('j')} (i32.const 2))) (br $more)))`,
    `(if (i32.lt_s ${get('j')} ${get('M')}) (then`,
    single(rows),
    `))`,
  ].join('\n');
  const rowStart = (pair) => [
    `(local.set $ar0 (i32.add ${get('A')} (i32.mul ${get('r')} ${get('rsb')})))`,
    `(local.set $ar1 ${pair ? `(i32.add ${get('ar0')} ${get('rsb')})` : get('ar0')})`,
    `(local.set $c0 (i32.add ${get('C')} (i32.mul ${get('r')} ${get('mb')})))`,
    `(local.set $c1 ${pair ? `(i32.add ${get('c0')} ${get('mb')})` : get('c0')})`,
  ].join('\n');
  p(';; Generated by scripts/wasm-kernel.mjs — edit that script, not this file.');
  p('(module');
  p('(memory (export "memory") 1)');
  p('(data (i32.const 0) "\\00\\00\\00\\00\\00\\00\\f0\\3f")');
  p('(func (export "mm") (param $A i32) (param $rs i32) (param $ts i32) (param $B i32) (param $bias i32) (param $C i32) (param $R i32) (param $T i32) (param $M i32)');
  p('(local $r i32) (local $j i32) (local $t i32) (local $a0 i32) (local $a1 i32) (local $b i32) (local $ar0 i32) (local $ar1 i32) (local $c0 i32) (local $c1 i32) (local $rsb i32) (local $tsb i32) (local $mb i32)');
  p('(local $x0 v128) (local $x1 v128) (local $w v128) (local $f0 f64) (local $f1 f64)');
  const accs = [];
  for (let r = 0; r < 2; r++) for (let c = 0; c < CB; c++) accs.push(`(local $s${r}_${c} v128)`);
  p(accs.join(' '));
  p(`(local.set $rsb (i32.shl ${get('rs')} (i32.const 3))) (local.set $tsb (i32.shl ${get('ts')} (i32.const 3))) (local.set $mb (i32.shl ${get('M')} (i32.const 3)))`);
  p(`(local.set $r (i32.const 0))`);
  p(`(block $pairs (loop $more (br_if $pairs (i32.gt_s (i32.add ${get('r')} (i32.const 2)) ${get('R')}))`);
  p(rowStart(true));
  p(rowsBody(2));
  p(`(local.set $r (i32.add ${get('r')} (i32.const 2))) (br $more)))`);
  p(`(if (i32.lt_s ${get('r')} ${get('R')}) (then`);
  p(rowStart(false));
  p(rowsBody(1));
  p('))');
  p(')');
  p('(func (export "transpose") (param $S i32) (param $D i32) (param $K i32) (param $M i32)');
  p('(local $p i32) (local $j i32)');
  p(`(block $rows (loop $row (br_if $rows (i32.ge_s ${get('p')} ${get('K')}))`);
  p(`  (local.set $j (i32.const 0))`);
  p(`  (block $cols (loop $col (br_if $cols (i32.ge_s ${get('j')} ${get('M')}))`);
  p(`    (f64.store (i32.add ${get('D')} (i32.shl (i32.add (i32.mul ${get('j')} ${get('K')}) ${get('p')}) (i32.const 3)))`);
  p(`      (f64.load (i32.add ${get('S')} (i32.shl (i32.add (i32.mul ${get('p')} ${get('M')}) ${get('j')}) (i32.const 3)))))`);
  p(`    (local.set $j (i32.add ${get('j')} (i32.const 1))) (br $col)))`);
  p(`  (local.set $p (i32.add ${get('p')} (i32.const 1))) (br $row)))`);
  p(')');
  p(')');
  return lines.join('\n') + '\n';
}

export async function kernelBytes(wat = kernelWat()) {
  const wabt = await initWabt();
  const mod = wabt.parseWat('wasm-kernel.wat', wat, { simd: true });
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

export function bytesModule(bytes) {
  const b64 = Buffer.from(bytes).toString('base64');
  const chunks = b64.match(/.{1,100}/g).map((c) => `  '${c}'`).join(' +\n');
  return `// Generated by scripts/wasm-kernel.mjs from agents/wasm-kernel.wat — do not edit.\nexport const WASM_KERNEL_BASE64 =\n${chunks};\n`;
}

const here = (f) => fileURLToPath(new URL(`../agents/${f}`, import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const wat = kernelWat();
  const ts = bytesModule(await kernelBytes(wat));
  if (process.argv.includes('--check')) {
    const same = readFileSync(here('wasm-kernel.wat'), 'utf8') === wat && readFileSync(here('wasm-kernel-bytes.ts'), 'utf8') === ts;
    if (!same) {
      console.error('agents/wasm-kernel.wat or wasm-kernel-bytes.ts is out of date: run node scripts/wasm-kernel.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(here('wasm-kernel.wat'), wat);
    writeFileSync(here('wasm-kernel-bytes.ts'), ts);
    console.log(`wrote agents/wasm-kernel.wat and agents/wasm-kernel-bytes.ts (${ts.length} characters)`);
  }
}
