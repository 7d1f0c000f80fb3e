import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { base64ToBytes, bytesToBase64, decodeF32, encodeF32, makeCheckpoint, readCheckpoint, shapeSize } from '../agents/checkpoint.ts';
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

describe('checkpoint encoding: edges (mutation survivors)', () => {
  it('base64 matches Node for inputs long enough to be emitted in several chunks', () => {
    // the encoder flushes every 8192 characters (6144 bytes): cross that several times, with each tail length
    for (const n of [6143, 6144, 6145, 20000, 20001, 20002]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + (i >> 8)) & 255);
      const s = bytesToBase64(bytes);
      expect(s).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.from(base64ToBytes(s)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('decodes padding only at the end and refuses other characters, naming the position', () => {
    expect(Array.from(base64ToBytes(''))).toEqual([]);
    expect(Array.from(base64ToBytes('/w=='))).toEqual([255]);
    expect(Array.from(base64ToBytes('//8='))).toEqual([255, 255]);
    expect(Array.from(base64ToBytes('////'))).toEqual([255, 255, 255]);
    expect(Array.from(base64ToBytes('AAEC'))).toEqual([0, 1, 2]);
    expect(() => base64ToBytes('ab=d')).toThrow('base64: invalid character at 2');
    expect(() => base64ToBytes('a===')).toThrow('base64: invalid character at 1');
    expect(() => base64ToBytes('abc\u00e9')).toThrow('base64: invalid character at 3');
    expect(() => base64ToBytes('ab\u0080c')).toThrow('base64: invalid character at 2');
    expect(() => base64ToBytes('ab\u007fc')).toThrow('base64: invalid character at 2');
    expect(() => base64ToBytes('ab-_')).toThrow('base64: invalid character at 2');
    expect(() => base64ToBytes('abcde')).toThrow('base64: length 5 is not a multiple of 4');
  });

  it('refuses a byte count that is not whole float32s', () => {
    expect(() => decodeF32('AAEC')).toThrow('decodeF32: 3 bytes is not a whole number of float32');
    expect(Array.from(decodeF32(''))).toEqual([]);
    // 1.0f is 00 00 80 3f little-endian
    expect(Array.from(decodeF32(Buffer.from([0, 0, 0x80, 0x3f]).toString('base64')))).toEqual([1]);
  });

  it('counts a shape`s values (a scalar shape [] holds one)', () => {
    expect(shapeSize([])).toBe(1);
    expect(shapeSize([3])).toBe(3);
    expect(shapeSize([2, 3, 4])).toBe(24);
    expect(shapeSize([5, 0])).toBe(0);
  });

  it('copies the config and the shape, and has no meta unless given', () => {
    const config = { layers: [4, 2] };
    const shape = [2];
    const ck = makeCheckpoint('world-model', config, [{ name: 'b', shape, values: Float32Array.from([1, 2]) }]);
    config.layers.push(9);
    shape.push(7);
    expect(ck).toEqual({
      format: 'driftlab-checkpoint',
      version: 1,
      kind: 'world-model',
      config: { layers: [4, 2] },
      tensors: [{ name: 'b', shape: [2], data: encodeF32(Float32Array.from([1, 2])) }],
    });
    expect('meta' in ck).toBe(false);
    expect(() => makeCheckpoint('policy', {}, [{ name: 'w', shape: [3], values: new Float32Array(2) }])).toThrow(
      'checkpoint tensor w: 2 values for shape [3]',
    );
  });

  it('names what is wrong with a malformed checkpoint', () => {
    const good = () => JSON.parse(JSON.stringify(makeCheckpoint('policy', { x: 1 }, [{ name: 'w', shape: [2, 2], values: Float32Array.from([1, 2, 3, 4]) }])));
    const expectW = () => [{ name: 'w', shape: [2, 2] }];
    // a JSON string is parsed first
    const fromText = readCheckpoint<{ x: number }>(JSON.stringify(good()), 'policy', expectW);
    expect(fromText.config).toEqual({ x: 1 });
    expect(Array.from(fromText.tensors[0])).toEqual([1, 2, 3, 4]);
    expect(fromText.meta).toBeUndefined();
    expect(() => readCheckpoint(null, 'policy')).toThrow('checkpoint: not an object');
    expect(() => readCheckpoint(3, 'policy')).toThrow('checkpoint: not an object');
    expect(() => readCheckpoint('"text"', 'policy')).toThrow('checkpoint: not an object');
    expect(() => readCheckpoint({ ...good(), format: 'other' }, 'policy')).toThrow('checkpoint: format is other, expected driftlab-checkpoint');
    expect(() => readCheckpoint({ ...good(), version: 2 }, 'policy')).toThrow('checkpoint: version 2 is not supported (expected 1)');
    expect(() => readCheckpoint(good(), 'world-model')).toThrow('checkpoint: kind is policy, expected world-model');
    expect(() => readCheckpoint({ ...good(), tensors: {} }, 'policy')).toThrow('checkpoint: tensors missing');
    expect(() => readCheckpoint({ ...good(), config: null }, 'policy')).toThrow('checkpoint: config missing');
    expect(() => readCheckpoint({ ...good(), config: 'x' }, 'policy')).toThrow('checkpoint: config missing');
    expect(() => readCheckpoint(good(), 'policy', () => [])).toThrow('checkpoint: 1 tensors, expected 0');
    const t = (over: Record<string, unknown>) => ({ ...good(), tensors: [{ ...good().tensors[0], ...over }] });
    expect(() => readCheckpoint({ ...good(), tensors: [null] }, 'policy')).toThrow('checkpoint: tensor 0 is malformed');
    expect(() => readCheckpoint(t({ data: 5 }), 'policy')).toThrow('checkpoint: tensor 0 is malformed');
    expect(() => readCheckpoint(t({ shape: '2,2' }), 'policy')).toThrow('checkpoint: tensor 0 is malformed');
    expect(() => readCheckpoint(t({ shape: [3] }), 'policy')).toThrow('checkpoint: tensor w has 4 values for shape [3]');
    expect(() => readCheckpoint(t({ name: 'v' }), 'policy', expectW)).toThrow('checkpoint: tensor 0 is v [2,2], expected w [2,2]');
    expect(() => readCheckpoint(t({ shape: [4] }), 'policy', expectW)).toThrow('checkpoint: tensor 0 is w [4], expected w [2,2]');
    expect(() => readCheckpoint(t({ shape: [2, 2, 1] }), 'policy', expectW)).toThrow('checkpoint: tensor 0 is w [2,2,1], expected w [2,2]');
    expect(() => readCheckpoint(t({ shape: [1, 4] }), 'policy', expectW)).toThrow('checkpoint: tensor 0 is w [1,4], expected w [2,2]');
    // one dimension the same, the others not, the same number of values
    expect(() => readCheckpoint(t({ shape: [2, 1, 2] }), 'policy', () => [{ name: 'w', shape: [2, 2, 1] }])).toThrow('checkpoint: tensor 0 is w [2,1,2], expected w [2,2,1]');
    // without an expectation, any consistent shape is accepted
    expect(Array.from(readCheckpoint(t({ shape: [4, 1] }), 'policy').tensors[0])).toEqual([1, 2, 3, 4]);
  });
});
