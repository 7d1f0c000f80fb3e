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
  adam(p, get);
  tanh(p, get);
  p(')');
  return lines.join('\n') + '\n';
}

/**
 * adam(P, G, M, V, N, b1, b1c, b2, b2c, lr, c1, c2, eps): Adam's update of N values, in the order of
 * mlp-train.ts's JavaScript loop (b1c = 1 − b1 and b2c = 1 − b2 as the caller computed them):
 *   m = b1·M + b1c·g;  v = b2·V + (b2c·g)·g;  P −= (lr·(m / c1)) / (√(v / c2) + eps)
 * two values at a time, then the last one.
 */
function adam(p, get) {
  const f = ['b1', 'b1c', 'b2', 'b2c', 'lr', 'c1', 'c2', 'eps'];
  p(`(func (export "adam") (param $P i32) (param $G i32) (param $M i32) (param $V i32) (param $N i32) ${f.map((n) => `(param $${n} f64)`).join(' ')}`);
  p('(local $i i32) (local $o i32) (local $g v128) (local $m v128) (local $v v128) (local $sg f64) (local $sm f64) (local $sv f64)');
  p(f.map((n) => `(local $${n}x v128)`).join(' '));
  for (const n of f) p(`(local.set $${n}x (f64x2.splat ${get(n)}))`);
  const at = (base) => `(i32.add ${get(base)} ${get('o')})`;
  // one update: SIMD on two values (constants splatted into $…x) or scalar on the last one
  const update = (simd) => {
    const t = simd ? 'f64x2' : 'f64';
    const load = (base) => `(${simd ? 'v128' : 'f64'}.load ${at(base)})`;
    const store = (base, v) => `(${simd ? 'v128' : 'f64'}.store ${at(base)} ${v})`;
    const c = (n) => get(simd ? `${n}x` : n);
    const [g, m, v] = simd ? ['g', 'm', 'v'] : ['sg', 'sm', 'sv'];
    p(`  (local.set $o (i32.shl ${get('i')} (i32.const 3)))`);
    p(`  (local.set $${g} ${load('G')})`);
    p(`  (local.set $${m} (${t}.add (${t}.mul ${c('b1')} ${load('M')}) (${t}.mul ${c('b1c')} ${get(g)})))`);
    p(`  (local.set $${v} (${t}.add (${t}.mul ${c('b2')} ${load('V')}) (${t}.mul (${t}.mul ${c('b2c')} ${get(g)}) ${get(g)})))`);
    p(`  ${store('M', get(m))} ${store('V', get(v))}`);
    p(`  ${store('P', `(${t}.sub ${load('P')} (${t}.div (${t}.mul ${c('lr')} (${t}.div ${get(m)} ${c('c1')})) (${t}.add (${t}.sqrt (${t}.div ${get(v)} ${c('c2')})) ${c('eps')})))`)}`);
  };
  p(`(block $pairs (loop $more (br_if $pairs (i32.gt_s (i32.add ${get('i')} (i32.const 2)) ${get('N')}))`);
  update(true);
  p(`  (local.set $i (i32.add ${get('i')} (i32.const 2))) (br $more)))`);
  p(`(if (i32.lt_s ${get('i')} ${get('N')}) (then`);
  update(false);
  p('))');
  p(')');
}

/**
 * tanh(Z, N, T, D, S): z ← tanh(z) in place for N values, as mlp-train.ts's `tanh`: cubic Hermite
 * interpolation between knots 1/S apart, T the table of tanh at the knots (from 0 up, 20·S + 2
 * values), D its slopes (1 − T²)/S, ±1 from |z| ≥ 20. The same operations in the same order as the
 * JavaScript function; two values at a time (the knots gathered lane by lane), then the last one.
 * |z| is clamped to 20 before the knot index is taken, so huge values and NaN (index 0) read inside
 * the tables; their lanes are replaced by ±1 (or stay NaN) as in the JavaScript.
 */
function tanh(p, get) {
  p('(func (export "tanh") (param $Z i32) (param $N i32) (param $T i32) (param $D i32) (param $S f64)');
  p('(local $i i32) (local $a i32) (local $k0 i32) (local $k1 i32) (local $k v128) (local $x v128) (local $ax v128) (local $u v128) (local $f v128) (local $f2 v128) (local $f3 v128) (local $t0 v128) (local $t1 v128) (local $d0 v128) (local $d1 v128) (local $y v128) (local $s v128)');
  p('(local $sx f64) (local $sax f64) (local $su f64) (local $sf f64) (local $sf2 f64) (local $sf3 f64) (local $sk i32) (local $sy f64)');
  p(`(local.set $s (f64x2.splat ${get('S')}))`);
  const two = '(v128.const f64x2 2 2)';
  const three = '(v128.const f64x2 3 3)';
  const one = '(v128.const f64x2 1 1)';
  const gather = (base, off) =>
    `(v128.load64_lane offset=${off} 1 (i32.add ${get(base)} (i32.shl ${get('k1')} (i32.const 3))) (v128.load64_zero offset=${off} (i32.add ${get(base)} (i32.shl ${get('k0')} (i32.const 3)))))`;
  p(`(block $pairs (loop $more (br_if $pairs (i32.gt_s (i32.add ${get('i')} (i32.const 2)) ${get('N')}))`);
  p(`  (local.set $a (i32.add ${get('Z')} (i32.shl ${get('i')} (i32.const 3))))`);
  p(`  (local.set $x (v128.load ${get('a')}))`);
  p(`  (local.set $ax (f64x2.abs ${get('x')}))`);
  p(`  (local.set $u (f64x2.mul (f64x2.min ${get('ax')} (v128.const f64x2 20 20)) ${get('s')}))`);
  p(`  (local.set $k (i32x4.trunc_sat_f64x2_s_zero ${get('u')}))`);
  p(`  (local.set $k0 (i32x4.extract_lane 0 ${get('k')})) (local.set $k1 (i32x4.extract_lane 1 ${get('k')}))`);
  p(`  (local.set $f (f64x2.sub ${get('u')} (f64x2.convert_low_i32x4_s ${get('k')})))`);
  p(`  (local.set $t0 ${gather('T', 0)})`);
  p(`  (local.set $t1 ${gather('T', 8)})`);
  p(`  (local.set $d0 ${gather('D', 0)})`);
  p(`  (local.set $d1 ${gather('D', 8)})`);
  p(`  (local.set $f2 (f64x2.mul ${get('f')} ${get('f')}))`);
  p(`  (local.set $f3 (f64x2.mul ${get('f2')} ${get('f')}))`);
  p(`  (local.set $y (f64x2.add (f64x2.add (f64x2.add`);
  p(`    (f64x2.mul ${get('t0')} (f64x2.add (f64x2.sub (f64x2.mul ${two} ${get('f3')}) (f64x2.mul ${three} ${get('f2')})) ${one}))`);
  p(`    (f64x2.mul ${get('d0')} (f64x2.add (f64x2.sub ${get('f3')} (f64x2.mul ${two} ${get('f2')})) ${get('f')})))`);
  p(`    (f64x2.mul ${get('t1')} (f64x2.sub (f64x2.mul ${three} ${get('f2')}) (f64x2.mul ${two} ${get('f3')}))))`);
  p(`    (f64x2.mul ${get('d1')} (f64x2.sub ${get('f3')} ${get('f2')}))))`);
  p(`  (local.set $y (v128.bitselect ${one} ${get('y')} (f64x2.ge ${get('ax')} (v128.const f64x2 20 20))))`);
  p(`  (v128.store ${get('a')} (v128.bitselect (f64x2.neg ${get('y')}) ${get('y')} (f64x2.lt ${get('x')} (v128.const f64x2 0 0))))`);
  p(`  (local.set $i (i32.add ${get('i')} (i32.const 2))) (br $more)))`);
  p(`(if (i32.lt_s ${get('i')} ${get('N')}) (then`);
  p(`  (local.set $a (i32.add ${get('Z')} (i32.shl ${get('i')} (i32.const 3))))`);
  p(`  (local.set $sx (f64.load ${get('a')}))`);
  p(`  (local.set $sax (f64.abs ${get('sx')}))`);
  p(`  (local.set $su (f64.mul (f64.min ${get('sax')} (f64.const 20)) ${get('S')}))`);
  p(`  (local.set $sk (i32.trunc_sat_f64_s ${get('su')}))`);
  p(`  (local.set $sf (f64.sub ${get('su')} (f64.convert_i32_s ${get('sk')})))`);
  p(`  (local.set $sf2 (f64.mul ${get('sf')} ${get('sf')}))`);
  p(`  (local.set $sf3 (f64.mul ${get('sf2')} ${get('sf')}))`);
  const at = (base, off) => `(f64.load offset=${off} (i32.add ${get(base)} (i32.shl ${get('sk')} (i32.const 3))))`;
  p(`  (local.set $sy (f64.add (f64.add (f64.add`);
  p(`    (f64.mul ${at('T', 0)} (f64.add (f64.sub (f64.mul (f64.const 2) ${get('sf3')}) (f64.mul (f64.const 3) ${get('sf2')})) (f64.const 1)))`);
  p(`    (f64.mul ${at('D', 0)} (f64.add (f64.sub ${get('sf3')} (f64.mul (f64.const 2) ${get('sf2')})) ${get('sf')})))`);
  p(`    (f64.mul ${at('T', 8)} (f64.sub (f64.mul (f64.const 3) ${get('sf2')}) (f64.mul (f64.const 2) ${get('sf3')}))))`);
  p(`    (f64.mul ${at('D', 8)} (f64.sub ${get('sf3')} ${get('sf2')}))))`);
  p(`  (local.set $sy (select (f64.const 1) ${get('sy')} (f64.ge ${get('sax')} (f64.const 20))))`);
  p(`  (f64.store ${get('a')} (select (f64.neg ${get('sy')}) ${get('sy')} (f64.lt ${get('sx')} (f64.const 0))))`);
  p('))');
  p(')');
}


export async function kernelBytes(wat = kernelWat()) {
  const wabt = await initWabt();
  const mod = wabt.parseWat('wasm-kernel.wat', wat, { simd: true, sat_float_to_int: true });
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
