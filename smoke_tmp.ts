import { initTf } from './agents/tf.ts';
import { Policy } from './agents/policy.ts';
import { Rng } from './sim/rng.ts';
await initTf();
for (const lrFinal of [0.01, 0.001]) {
const errs: number[] = [];
for (const seed of [31, 1, 2, 3, 4, 5, 6, 7]) {
const rng = new Rng(seed);
const n = 2000;
const obs = new Float32Array(n*2).map(() => rng.uniform(-1,1));
const a1 = new Float32Array(n); for (let i = 0; i < n; i++) a1[i] = 0.3 + 0.15 * rng.normal();
const q = Policy.create({ obsSize: 2, actSize: 1, hidden: [32], components: 1 }, new Rng(seed+5));
const { loss } = q.fit({ obs, act: a1, n }, { epochs: 30, batchSize: 64, lr: 0.01, lrFinal }, new Rng(seed+6));
const prm = q.params(obs.subarray(0, 200), 100);
const mu = prm.means.reduce((a,b)=>a+b)/100, sd = Array.from(prm.logStd, Math.exp).reduce((a,b)=>a+b)/100;
errs.push(+(mu-0.3).toFixed(3), +(sd-0.15).toFixed(3));
}
console.log(lrFinal, errs.join(' '));
}
