/**
 * lab/run-record.ts directly: the pure SHA-256 against Node's, folder slugs, sealed records,
 * torn metrics files and the run checks, each refusal by its exact message.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  checkRows,
  checkStateGeneration,
  contentHash,
  CorruptRunError,
  metricsLines,
  rowsRecord,
  runFolderName,
  seal,
  checkpointPath,
  seedFiles,
  seedFolders,
  seedLines,
  sha256,
  VerifiedStorage,
  unseal,
  verifyCalibrationRun,
  verifyPhysicsRun,
} from '../lab/run-record.ts';

const node = (d: string | Uint8Array) => createHash('sha256').update(d).digest('hex');
const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 167 + (i >> 3) * 29 + 7) & 255);

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(CorruptRunError);
    expect((e as Error).name).toBe('CorruptRunError');
    return (e as Error).message;
  }
  throw new Error('expected a CorruptRunError');
}
const ALLOWED = ' (allowed: the run folder as driftlab wrote it: restore the file or start the run again)';

describe('sha256 (pure TypeScript) against node:crypto', () => {
  it('every length around the block and padding boundaries, and long inputs', () => {
    for (let n = 0; n <= 130; n++) expect([n, sha256(bytes(n))]).toEqual([n, node(bytes(n))]);
    for (const n of [1000, 4095, 65_537]) expect(sha256(bytes(n))).toBe(node(bytes(n)));
    for (const s of ['', 'abc', 'Ünïcödé ✓ 漢字 🎲', 'x'.repeat(200)]) expect(sha256(s)).toBe(node(s));
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('contentHash: Web Crypto where there is one, the pure code otherwise, the same hex', async () => {
    for (const d of ['', 'abc', bytes(100)]) expect(await contentHash(d)).toBe(node(d));
    vi.stubGlobal('crypto', undefined);
    try {
      for (const d of ['', 'abc', bytes(100)]) expect(await contentHash(d)).toBe(node(d));
    } finally {
      vi.unstubAllGlobals();
    }
    expect(await rowsRecord(['a', 'b'])).toEqual({ count: 2, sha256: node('a\nb') });
  });
});

describe('runFolderName', () => {
  it('a safe slug, never empty, never leading with a dot', () => {
    const table: [string, string][] = [
      ['My Run!', 'my-run'],
      ['../etc/passwd', 'etc-passwd'],
      ['...', 'run'],
      ['', 'run'],
      ['a..b', 'a.b'],
      ['a...b', 'a.b'],
      ['.hidden', 'hidden'],
      ['-x-', 'x'],
      ['x.', 'x'],
      ['x-.', 'x'],
      ['.-a.-', 'a'],
      ['keep_this-1.2', 'keep_this-1.2'],
      ['a  /  b', 'a-b'],
      ['x'.repeat(70), 'x'.repeat(64)],
    ];
    for (const [name, slug] of table) expect([name, runFolderName(name)]).toEqual([name, slug]);
    // accents decompose (NFKD) and their marks become dashes: still a safe slug
    for (const name of ['Ünïcödé', '漢字', 'Ω-run', 'a\u0000b']) expect(runFolderName(name)).toMatch(/^[a-z0-9_][a-z0-9._-]{0,63}$|^run$/);
  });
});

describe('sealed records', () => {
  it('round-trip, legacy records, and each way a record is refused', async () => {
    const text = await seal({ generation: 3, files: { a: 'h' } });
    const parsed = JSON.parse(text);
    expect(parsed.sha256).toBe(node(JSON.stringify({ generation: 3, files: { a: 'h' } })));
    expect(await unseal(text, 's.json')).toEqual({ generation: 3, files: { a: 'h' }, sealed: true });
    expect(await unseal('{"generation":1}', 's.json')).toEqual({ generation: 1, sealed: false });
    expect(await refusal(unseal(JSON.stringify({ ...parsed, generation: 4 }), 's.json'))).toBe(`s.json: does not match its own hash (damaged or edited)${ALLOWED}`);
    expect(await refusal(unseal(JSON.stringify({ ...parsed, sha256: 5 }), 's.json'))).toBe(`s.json: does not match its own hash (damaged or edited)${ALLOWED}`);
    expect(await refusal(unseal('{"generation":', 's.json'))).toBe(`s.json: is not valid JSON (truncated or damaged)${ALLOWED}`);
    for (const t of ['[]', 'null', '3', '"x"']) expect(await refusal(unseal(t, 's.json'))).toBe(`s.json: is not a JSON object${ALLOWED}`);
  });
});

describe('metrics files', () => {
  it('drops a torn last line, refuses any other bad line by its number', async () => {
    expect(metricsLines('{"a":1}\n\n{"b":2}\n')).toEqual({ lines: ['{"a":1}', '{"b":2}'], rows: [{ a: 1 }, { b: 2 }], torn: false });
    expect(metricsLines('{"a":1}\n{"b":')).toEqual({ lines: ['{"a":1}'], rows: [{ a: 1 }], torn: true });
    expect(metricsLines('')).toEqual({ lines: [], rows: [], torn: false });
    expect(metricsLines('{"a":1}\n   \n{"b":2}\n').rows).toEqual([{ a: 1 }, { b: 2 }]);
    expect(metricsLines('\n{"a":1}\n{"b":')).toEqual({ lines: ['{"a":1}'], rows: [{ a: 1 }], torn: true });
    for (const bad of ['3', '"s"', 'true']) expect(await refusal(() => metricsLines(`${bad}\n`))).toBe(`metrics.jsonl:1: is not a metrics row (a JSON object)${ALLOWED}`);
    expect(seedLines(['x', 'y'], [null, { seed: 1 }], 1)).toEqual(['y']);
    expect(await refusal(() => metricsLines('{"a":1}\n{"b":\n'))).toBe(`metrics.jsonl:2: is not valid JSON${ALLOWED}`);
    expect(await refusal(() => metricsLines('{"b":\n{"a":1}'))).toBe(`metrics.jsonl:1: is not valid JSON${ALLOWED}`);
    expect(await refusal(() => metricsLines('{"a":1}\n[1]\n', 'm.jsonl'))).toBe(`m.jsonl:2: is not a metrics row (a JSON object)${ALLOWED}`);
    expect(await refusal(() => metricsLines('null\n'))).toBe(`metrics.jsonl:1: is not a metrics row (a JSON object)${ALLOWED}`);
    const { lines, rows } = metricsLines('{"seed":1,"g":0}\n{"seed":2,"g":0}\n{"seed":1,"g":1}\n');
    expect(seedLines(lines, rows, 1)).toEqual(['{"seed":1,"g":0}', '{"seed":1,"g":1}']);
    expect(seedLines(lines, rows, 3)).toEqual([]);
  });

  it('checkStateGeneration accepts −1 … generations, integers only', async () => {
    for (const g of [-1, 0, 5]) expect(() => checkStateGeneration({ generation: g }, 5, 'f')).not.toThrow();
    for (const g of [-2, 6, 1.5, '3', undefined]) {
      expect(await refusal(() => checkStateGeneration({ generation: g }, 5, 'f'))).toBe(`f: claims generation ${JSON.stringify(g)}, outside -1..5${ALLOWED}`);
    }
  });

  it('checkRows compares a seed`s lines with its record: count, then hash', async () => {
    const rec = await rowsRecord(['x', 'y']);
    await expect(checkRows(['x', 'y'], rec, 1)).resolves.toBeUndefined();
    await expect(checkRows(['anything'], undefined, 1)).resolves.toBeUndefined();
    expect(await refusal(checkRows(['x'], rec, 4))).toBe(`metrics.jsonl: has 1 rows of seed 4, its state records 2${ALLOWED}`);
    expect(await refusal(checkRows(['x', 'z'], rec, 4, 'm'))).toBe(`m: rows of seed 4 do not match the hash its state records (damaged or edited)${ALLOWED}`);
  });
});

describe('whole-run checks', () => {
  const store = (files: Record<string, string>) => ({ read: async (p: string) => files[p] ?? null });
  const metrics = '{"seed":1,"generation":0}\n{"seed":1,"generation":1}\n{"seed":2,"generation":0}\n';

  it('verifyCalibrationRun: no record, a legacy record, a matching record pass; count or hash mismatches are refused', async () => {
    const lines = metricsLines(metrics).lines;
    await expect(verifyCalibrationRun(store({}), metrics)).resolves.toBeUndefined();
    await expect(verifyCalibrationRun(store({ 'state/calibration.json': '{"rows":{"count":9,"sha256":"x"}}' }), metrics)).resolves.toBeUndefined();
    await expect(verifyCalibrationRun(store({ 'state/calibration.json': await seal({}) }), metrics)).resolves.toBeUndefined();
    const good = await seal({ rows: await rowsRecord(lines) });
    await expect(verifyCalibrationRun(store({ 'state/calibration.json': good }), metrics)).resolves.toBeUndefined();
    const short = await seal({ rows: await rowsRecord(lines.slice(1)) });
    expect(await refusal(verifyCalibrationRun(store({ 'state/calibration.json': short }), metrics))).toBe(`metrics.jsonl: has 3 rows, state/calibration.json records 2${ALLOWED}`);
    const other = await seal({ rows: { count: 3, sha256: node('other') } });
    expect(await refusal(verifyCalibrationRun(store({ 'state/calibration.json': other }), metrics))).toBe(`metrics.jsonl: does not match the hash state/calibration.json records (damaged or edited)${ALLOWED}`);
  });

  it('verifyPhysicsRun: each seed`s state against its rows', async () => {
    const { lines, rows } = metricsLines(metrics);
    const s1 = await seal({ generation: 1, files: {}, rows: await rowsRecord(seedLines(lines, rows, 1)) });
    const s2 = await seal({ generation: 0, files: {}, rows: await rowsRecord(seedLines(lines, rows, 2)) });
    await expect(verifyPhysicsRun(store({ 'state/s1.json': s1, 'state/s2.json': s2 }), [1, 2], 3, metrics)).resolves.toBeUndefined();
    // a seed with no state and no rows has not started
    await expect(verifyPhysicsRun(store({ 'state/s1.json': s1, 'state/s2.json': s2 }), [1, 2, 3], 3, metrics)).resolves.toBeUndefined();
    expect(await refusal(verifyPhysicsRun(store({ 'state/s1.json': s1 }), [1, 2], 3, metrics))).toBe(`state/s2.json: is missing although metrics.jsonl has 1 rows of seed 2${ALLOWED}`);
    // a legacy (unsealed) state is not checked further
    await expect(verifyPhysicsRun(store({ 'state/s1.json': '{"generation":99}', 'state/s2.json': s2 }), [1, 2], 3, metrics)).resolves.toBeUndefined();
    const late = await seal({ generation: 7, files: {} });
    expect(await refusal(verifyPhysicsRun(store({ 'state/s1.json': late, 'state/s2.json': s2 }), [1, 2], 3, metrics))).toBe(`state/s1.json: claims generation 7, outside -1..3${ALLOWED}`);
    const wrongRows = await seal({ generation: 1, files: {}, rows: { count: 1, sha256: 'x' } });
    expect(await refusal(verifyPhysicsRun(store({ 'state/s1.json': wrongRows, 'state/s2.json': s2 }), [1, 2], 3, metrics))).toBe(`metrics.jsonl: has 2 rows of seed 1, its state records 1${ALLOWED}`);
    // the files a state lists are read and checked against their hashes
    const withFile = await seal({ generation: 1, files: { 'checkpoints/s1/p.json': node('weights') }, rows: await rowsRecord(seedLines(lines, rows, 1)) });
    await expect(verifyPhysicsRun(store({ 'state/s1.json': withFile, 'state/s2.json': s2, 'checkpoints/s1/p.json': 'weights' }), [1, 2], 3, metrics)).resolves.toBeUndefined();
    await expect(verifyPhysicsRun(store({ 'state/s1.json': withFile, 'state/s2.json': s2, 'checkpoints/s1/p.json': 'edited' }), [1, 2], 3, metrics)).rejects.toThrow(/checkpoints\/s1\/p\.json/);
  });
});

describe('VerifiedStorage', () => {
  it('records what it writes, checks what it knows, passes the rest through', async () => {
    const files = new Map<string, string>();
    const calls: string[] = [];
    const inner = {
      read: async (p: string) => files.get(p) ?? null,
      write: async (p: string, d: string | Uint8Array) => void files.set(p, String(d)),
      append: async (p: string, l: string) => void calls.push(`append ${p} ${l}`),
      exists: async (p: string) => (calls.push(`exists ${p}`), files.has(p)),
    };
    const v = new VerifiedStorage(inner);
    await v.write('checkpoints/s1/a.json', 'A');
    await v.write('samples/s1/b.json', 'B');
    await v.write('checkpoints/s2/c.json', 'C');
    expect(files.get('checkpoints/s1/a.json')).toBe('A');
    expect(v.filesUnder(seedFolders(1))).toEqual({ 'checkpoints/s1/a.json': node('A'), 'samples/s1/b.json': node('B') });
    expect(Object.keys(v.filesUnder(['checkpoints/']))).toEqual(['checkpoints/s1/a.json', 'checkpoints/s2/c.json']);
    expect(v.filesUnder([])).toEqual({});
    expect(seedFolders(3)).toEqual(['checkpoints/s3/', 'samples/s3/']);
    // every file of a seed lies in its folders (or is its state)
    expect([checkpointPath(3, 'grounded', 0), checkpointPath(3, 'grounded', 2), seedFiles.d0(3), seedFiles.samples(3, 'mix', 1), seedFiles.play(3, 'mix', 1), seedFiles.state(3)]).toEqual([
      'checkpoints/s3/g0.json',
      'checkpoints/s3/grounded/g2.json',
      'samples/s3/d0.json',
      'samples/s3/mix/g1.json',
      'samples/s3/mix/g1-play.json',
      'state/s3.json',
    ]);
    expect(await v.read('checkpoints/s1/a.json')).toBe('A');
    files.set('checkpoints/s1/a.json', 'tampered');
    expect(await refusal(v.read('checkpoints/s1/a.json'))).toBe(`checkpoints/s1/a.json: does not match its recorded hash (damaged or replaced)${ALLOWED}`);
    files.delete('samples/s1/b.json');
    expect(await refusal(v.read('samples/s1/b.json'))).toBe(`samples/s1/b.json: is missing${ALLOWED}`);
    // files it knows nothing about: read as they are, present or not
    files.set('other.json', 'o');
    expect(await v.read('other.json')).toBe('o');
    expect(await v.read('nothing.json')).toBeNull();
    // hashes loaded from a state
    const w = new VerifiedStorage(inner);
    w.know({ 'other.json': node('not o') });
    w.know(undefined);
    expect(await refusal(w.read('other.json'))).toBe(`other.json: does not match its recorded hash (damaged or replaced)${ALLOWED}`);
    await v.append('metrics.jsonl', '{}');
    expect(await v.exists('other.json')).toBe(true);
    expect(await v.exists('nope')).toBe(false);
    expect(calls).toEqual(['append metrics.jsonl {}', 'exists other.json', 'exists nope']);
  });
});
