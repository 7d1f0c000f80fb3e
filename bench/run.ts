/**
 * `npm run bench`: speed, measured side by side in one run, reported as ratios.
 *  1. policy inference: one batched call for 256 episodes vs 256 calls at batch 1
 *  2. training: the trainer with its WebAssembly SIMD kernels vs its JavaScript loops vs the same
 *     steps in tfjs (wasm backend)
 *  3. the simulator: duel shots and hockey decision steps per second
 *  4. a whole (small) generation loop, for scale
 */
import { tf } from '../agents/tf.ts';
import { initTf } from '../agents/tf.ts';
import { Policy } from '../agents/policy.ts';
import { Mlp } from '../agents/mlp.ts';
import { Rng } from '../sim/rng.ts';
import { duelDef } from '../sim/duel.ts';
import { hockeyDef } from '../sim/hockey.ts';
import { getScenario } from '../lab/scenarios.ts';
import { scriptedEpisodes } from '../lab/experiment.ts';
import { useWasmKernels } from '../agents/wasm-kernel.ts';

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

function best(f: () => void, reps = 3): number {
  let b = Infinity;
  for (let i = 0; i < reps; i++) b = Math.min(b, time(f)[1]);
  return b;
}

const rows: [string, string][] = [];
const say = (k: string, v: string) => {
  rows.push([k, v]);
  console.log(`${k.padEnd(52)} ${v}`);
};

await initTf('wasm');
const O = duelDef.observationSpace.size;
const A = duelDef.actionSpace.size;
const policy = Policy.create({ obsSize: O, actSize: A, hidden: [64, 64], components: 3 }, new Rng(1));
const n = 256;
const obs = new Float32Array(n * O).map((_, i) => Math.sin(i));
const rng = new Rng(2);
policy.act(obs, n, rng); // warm-up
const batched = best(() => policy.act(obs, n, rng));
const single = best(() => {
  for (let i = 0; i < n; i++) policy.act(obs.subarray(i * O, (i + 1) * O), 1, rng);
});
say('inference: 256 rows batched (ms)', batched.toFixed(2));
say('inference: 256 rows one at a time (ms)', single.toFixed(2));
say('inference speed-up from batching', `${(single / batched).toFixed(1)}×`);

const entry = getScenario('duel');
const data = scriptedEpisodes(entry, {}, 120, new Rng(3));
const { policyData } = await import('../lab/dataset.ts');
const pd = policyData(data, entry.def, 1);
const fitOnce = () => {
  const p = Policy.create({ obsSize: O, actSize: A, hidden: [64, 64], components: 3 }, new Rng(4));
  p.fit(pd, { epochs: 10, batchSize: 128, lr: 0.003 }, new Rng(5));
  p.dispose();
};
fitOnce();
const wasmFit = best(fitOnce, 2);
useWasmKernels(false);
fitOnce();
const jsFit = best(fitOnce, 2);
useWasmKernels(true);
// the same network and minibatch steps (Adam, batch 128, 10 epochs) in tfjs, on a squared-error
// loss of the same outputs: what a training step cost before agents/mlp-train.ts
const outSize = 3 + 2 * 3 * A;
const tfFitOnce = () => {
  const m = Mlp.create({ inputSize: O, hidden: [64, 64], outputSize: outSize }, new Rng(4));
  const opt = tf.train.adam(0.003);
  const target = tf.zeros([128, outSize]);
  for (let e = 0; e < 10; e++) {
    for (let s = 0; s < pd.n; s += 128) {
      const rows = Math.min(128, pd.n - s);
      tf.tidy(() => {
        const x = tf.tensor2d(pd.obs.subarray(s * O, (s + rows) * O), [rows, O]);
        const l = opt.minimize(() => tf.mean(tf.square(tf.sub(m.apply(x), tf.slice(target, [0, 0], [rows, outSize])))) as tf.Scalar, true, m.variables);
        l?.dataSync();
      });
    }
  }
  opt.dispose();
  target.dispose();
  m.dispose();
};
tfFitOnce();
const tfFit = best(tfFitOnce, 2);
say(`training: ${pd.n} samples × 10 epochs, WebAssembly kernels (ms)`, wasmFit.toFixed(0));
say(`training: same, JavaScript loops (ms)`, jsFit.toFixed(0));
say(`training: same steps in tfjs wasm (ms)`, tfFit.toFixed(0));
say('training speed-up of the WebAssembly kernels over the loops', `${(jsFit / wasmFit).toFixed(1)}×`);
say('training speed-up of the trainer over tfjs', `${(tfFit / wasmFit).toFixed(1)}×`);

const duel = duelDef.create();
const srng = new Rng(6);
let shots = 0;
const duelMs = best(() => {
  duel.reset(1);
  for (let i = 0; i < 400; i++) {
    const r = duel.step([
      [srng.uniform(-1, 1), srng.uniform(-1, 1)],
      [srng.uniform(-1, 1), srng.uniform(-1, 1)],
    ]);
    shots++;
    if (r.terminated || r.truncated) duel.reset(i);
  }
});
say('duel: shots per second (random play)', ((400 / duelMs) * 1000).toFixed(0));
const hockey = hockeyDef.create();
const hockeyMs = best(() => {
  hockey.reset(1);
  for (let i = 0; i < 400; i++) {
    const r = hockey.step([
      [srng.uniform(-1, 1), srng.uniform(-1, 1)],
      [srng.uniform(-1, 1), srng.uniform(-1, 1)],
    ]);
    if (r.terminated || r.truncated) hockey.reset(i);
  }
});
say('hockey: decision steps per second (random play)', ((400 / hockeyMs) * 1000).toFixed(0));
void shots;
