import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { base64ToBytes, bytesToBase64, decodeF32, encodeF32, makeCheckpoint, readCheckpoint } from '../agents/checkpoint.ts';
import { Policy } from '../agents/policy.ts';
import { WorldModel } from '../agents/world-model.ts';
import { Rng } from '../sim/rng.ts';

beforeAll(async () => {
  await initTf();
});

function bitsOf(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

describe('checkpoint encoding', () => {
  it('round-trips float32 bit-exactly, including special values', () => {
    const rng = new Rng(1);
    const special = [0, -0, 1, -1, Infinity, -Infinity, 3.4028234663852886e38, 1.401298464324817e-45, 1.1754943508222875e-38, Math.PI, 1e-30];
    for (const len of [0, 1, 2, 3, 4, 5, 97]) {
      const a = new Float32Array(len);
      for (let i = 0; i < len; i++) a[i] = i < special.length ? special[i] : rng.normal() * 10 ** rng.int(8);
      const back = decodeF32(encodeF32(a));
      expect(back.length).toBe(len);
      expect(bitsOf(back)).toEqual(bitsOf(a));
    }
    expect(Object.is(decodeF32(encodeF32(Float32Array.from([-0])))[0], -0)).toBe(true);
    expect(Number.isNaN(decodeF32(encodeF32(Float32Array.from([NaN])))[0])).toBe(true);
  });

  it('is standard base64 of little-endian bytes', () => {
    const a = Float32Array.from([1, -2.5, 1e-3]);
    const le = Buffer.alloc(12);
    a.forEach((v, i) => le.writeFloatLE(v, i * 4));
    expect(encodeF32(a)).toBe(le.toString('base64'));
    for (const n of [0, 1, 2, 3, 10, 1000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
      const s = bytesToBase64(bytes);
      expect(s).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(base64ToBytes(s))).toEqual(Array.from(bytes));
    }
    expect(() => base64ToBytes('ab$d')).toThrow(/invalid character/);
    expect(() => base64ToBytes('abc')).toThrow(/multiple of 4/);
  });

  it('checks format, kind and shapes', () => {
    const ck = makeCheckpoint('policy', { x: 1 }, [{ name: 'w', shape: [2, 2], values: Float32Array.from([1, 2, 3, 4]) }], { generation: 3 });
    const json = JSON.parse(JSON.stringify(ck));
    const r = readCheckpoint<{ x: number }>(json, 'policy', () => [{ name: 'w', shape: [2, 2] }]);
    expect(r.config).toEqual({ x: 1 });
    expect(Array.from(r.tensors[0])).toEqual([1, 2, 3, 4]);
    expect(r.meta).toEqual({ generation: 3 });
    expect(() => readCheckpoint(json, 'world-model')).toThrow(/kind is policy/);
    expect(() => readCheckpoint({ ...json, version: 2 }, 'policy')).toThrow(/version/);
    expect(() => readCheckpoint(json, 'policy', () => [{ name: 'w', shape: [4, 1] }])).toThrow(/expected w \[4,1\]/);
    expect(() => makeCheckpoint('policy', {}, [{ name: 'w', shape: [3], values: new Float32Array(2) }])).toThrow(/shape/);
  });
});

describe('model checkpoints', () => {
  it('a policy round-trips through JSON with identical outputs', () => {
    const rng = new Rng(5);
    const n = 64;
    const obs = Float32Array.from({ length: n * 4 }, () => rng.uniform(-1, 1));
    const act = Float32Array.from({ length: n * 2 }, () => rng.uniform(-1, 1));
    const p = Policy.create({ obsSize: 4, actSize: 2, hidden: [16, 8], components: 2, minStd: 0.05, activation: 'elu' }, new Rng(6));
    p.fit({ obs, act, n }, { epochs: 2, batchSize: 16, lr: 0.01 }, new Rng(7));
    const text = JSON.stringify(p.toJSON({ lineage: 'grounded', generation: 1 }));
    const q = Policy.fromJSON(JSON.parse(text));
    expect(q.config).toEqual(p.config);
    expect(q.getWeights()).toEqual(p.getWeights());
    expect(q.logProb(obs, act, n)).toEqual(p.logProb(obs, act, n));
    expect(q.act(obs, n, new Rng(8))).toEqual(p.act(obs, n, new Rng(8)));
    expect(q.mode(obs, n)).toEqual(p.mode(obs, n));
    expect(JSON.stringify(q.toJSON({ lineage: 'grounded', generation: 1 }))).toBe(text);
    expect(() => WorldModel.fromJSON(JSON.parse(text))).toThrow(/kind/);
    p.dispose();
    q.dispose();
  });

  it('a world model round-trips through JSON with identical outputs', () => {
    const rng = new Rng(9);
    const n = 32;
    const obs = Float32Array.from({ length: n * 3 }, () => rng.uniform(-1, 1));
    const a0 = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
    const a1 = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
    const w = WorldModel.create({ obsSize: 3, actSize: 1, hidden: [8], obsLow: [-1, -1, -1], obsHigh: [1, 1, 1] }, new Rng(10));
    const q = WorldModel.fromJSON(JSON.parse(JSON.stringify(w.toJSON())));
    expect(q.config).toEqual(w.config);
    expect(q.predict(obs, a0, a1, n)).toEqual(w.predict(obs, a0, a1, n));
    expect(q.sample(obs, a0, a1, n, new Rng(11))).toEqual(w.sample(obs, a0, a1, n, new Rng(11)));
    w.dispose();
    q.dispose();
  });
});
