/**
 * exp and log1p from IEEE-754 basic operations only (+ − × ÷ and exact bit handling), after
 * fdlibm's e_exp.c and e_log.c. JavaScript engines implement Math.exp, Math.log1p and Math.pow
 * each their own way: Node 20 and Chromium 156 disagree in the last bit for a few percent of
 * arguments, enough to move a rounded Elo (agents/rating.ts) in its sixth decimal. These give the
 * same bits in every engine, so the CLI and the app write the same metrics.jsonl. Accuracy: within
 * an ulp or so of the true value.
 */

const view = new DataView(new ArrayBuffer(8));

/** 2^k for an integer k in [-1022, 1023], built from its bits. */
function pow2Bits(k: number): number {
  view.setUint32(0, (k + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/** Every 2^k of pow2Bits, looked up (exp runs in the trainer's inner loops). */
const POW2 = Float64Array.from({ length: 2046 }, (_, i) => pow2Bits(i - 1022));

function pow2(k: number): number {
  return POW2[k + 1022];
}

/** x · 2^k for any integer k the result needs (scaled in steps, so subnormals and 2^1024 work). */
function scale(x: number, k: number): number {
  if (k > 1023) return x * pow2(1023) * pow2(k - 1023);
  if (k < -1022) return x * pow2(-1022) * pow2(k + 1022);
  return x * pow2(k);
}

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e0;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;

/** e^x, the same bits in every engine. */
export function exp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 7.09782712893383973096e2) return Infinity;
  if (x < -7.45133219101941108420e2) return 0;
  if (x === 0) return 1;
  // x = k·ln2 + r, |r| ≤ ln2/2; k·LN2_HI is exact (LN2_HI has 21 trailing zero bits)
  const k = Math.abs(x) < 0.5 * LN2_HI ? 0 : Math.round(x * INV_LN2);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  return k === 0 ? y : scale(y, k);
}

const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;
const SQRT2 = 1.41421356237309504880;

/** ln x, the same bits in every engine. */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let e = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: a subnormal made normal
    e = -54;
  }
  // x = m · 2^e with m in [√2/2, √2)
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  e += (high >>> 20) - 1023;
  view.setUint32(0, (high & 0x000fffff) | 0x3ff00000);
  let m = view.getFloat64(0);
  if (m >= SQRT2) {
    m /= 2;
    e += 1;
  }
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const R = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  const hfsq = 0.5 * f * f;
  return e * LN2_HI - (hfsq - (s * (hfsq + R) + e * LN2_LO) - f);
}

/** ln(1 + x), accurate for small x too, the same bits in every engine. */
export function log1p(x: number): number {
  if (Number.isNaN(x) || x < -1) return NaN;
  if (x === -1) return -Infinity;
  const u = 1 + x;
  if (u === 1) return x; // |x| below half an ulp of 1: ln(1 + x) = x to double precision
  if (u === Infinity) return Infinity;
  // u = 1 + x rounded; the rounding error (u − 1) − x is corrected to first order
  return log(u) - (u - 1 - x) / u;
}
