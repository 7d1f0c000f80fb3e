/** agents/mlp-model.ts, exactly: the std bias in closed form and the shared model surface, through a tiny Policy. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { rawForStd } from '../agents/mlp-model.ts';
import { Policy } from '../agents/policy.ts';
import { WorldModel } from '../agents/world-model.ts';
import { Rng } from '../sim/rng.ts';

beforeAll(async () => {
  await initTf('wasm');
});

describe('rawForStd', () => {
  it('the raw output whose smooth clamp gives initStd: log σ = log min + (log max − log min)·sigmoid(raw)', () => {
    // initStd at the geometric middle: sigmoid(raw) = ½
    expect(rawForStd(0.01, 1, 0.1)).toBeCloseTo(0, 14);
    expect(rawForStd(0.25, 4, 1)).toBeCloseTo(0, 14);
    // three quarters of the way up in log: logit(¾) = ln 3
    expect(rawForStd(1, 16, 8)).toBeCloseTo(Math.log(3), 12);
    expect(rawForStd(1, 16, 2)).toBeCloseTo(-Math.log(3), 12);
    const s = Math.log(25) / Math.log(50);
    expect(rawForStd(0.02, 1, 0.5)).toBeCloseTo(Math.log(s / (1 - s)), 12);
  });
});

describe('the model surface', () => {
  it('sizes, parameter count, weights in and out, checkpoints with meta, disposal', () => {
    // obs 3 → hidden 4 → K + 2·K·A = 2 + 2·2·2 = 10 outputs
    const p = Policy.create({ obsSize: 3, actSize: 2, hidden: [4], components: 2 }, new Rng(1));
    expect([p.obsSize, p.actSize]).toEqual([3, 2]);
    expect(p.numParams).toBe(3 * 4 + 4 + 4 * 10 + 10);
    const w = p.getWeights();
    expect(w.map((x) => x.length)).toEqual([12, 4, 40, 10]);
    // the std biases start at rawForStd(min, max, init)
    expect(Array.from(w[3].slice(6))).toEqual(Array(4).fill(Math.fround(rawForStd(0.02, 1, 0.5))));
    const changed = w.map((x) => x.map((v, i) => v + i * 0.001));
    p.setWeights(changed);
    expect(p.getWeights()).toEqual(changed);
    const j = p.toJSON({ note: 'x' });
    expect(j.kind).toBe('policy');
    expect(j.meta).toEqual({ note: 'x' });
    expect(j.config).toEqual(p.config);
    expect(j.tensors.map((t) => t.shape)).toEqual([[3, 4], [4], [4, 10], [10]]);
    const back = Policy.fromJSON(JSON.parse(JSON.stringify(j)));
    expect(back.config).toEqual(p.config);
    expect(back.getWeights()).toEqual(changed);
    // the kind is checked: a world model's checkpoint is not a policy
    const wm = WorldModel.create({ obsSize: 3, actSize: 2, hidden: [4] }, new Rng(2));
    expect(() => Policy.fromJSON(wm.toJSON())).toThrow('checkpoint: kind is world-model, expected policy');
    expect(p.disposed).toBe(false);
    p.dispose();
    expect(p.disposed).toBe(true);
    back.dispose();
    wm.dispose();
  });
});
