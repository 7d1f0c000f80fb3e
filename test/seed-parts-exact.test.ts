/**
 * lab/seed-parts.ts, exactly: the part files seeds write side by side and how they are joined into
 * metrics.jsonl, checked on an in-memory RunStorage with hand-written rows (fast; the CLI's and the
 * page's parallel runs use these through cli/parallel.ts and renderer/lab-pool.ts).
 */
import { describe, expect, it } from 'vitest';
import { METRICS } from '../lab/experiment.ts';
import type { RunStorage } from '../lab/host.ts';
import { consolidateParts, joinedParts, joinParts, partPath, rowsBySeed, SeedPartStorage, splitIntoParts } from '../lab/seed-parts.ts';

class MemoryStorage implements RunStorage {
  readonly files = new Map<string, string | Uint8Array>();
  readonly calls: string[] = [];
  async read(p: string) {
    this.calls.push(`read ${p}`);
    const v = this.files.get(p);
    return v === undefined ? null : typeof v === 'string' ? v : new TextDecoder().decode(v);
  }
  async write(p: string, d: string | Uint8Array) {
    this.calls.push(`write ${p}`);
    this.files.set(p, d);
  }
  async append(p: string, line: string) {
    this.calls.push(`append ${p}`);
    this.files.set(p, `${(this.files.get(p) as string | undefined) ?? ''}${line}`);
  }
  async exists(p: string) {
    this.calls.push(`exists ${p}`);
    return this.files.has(p);
  }
}

const row = (seed: number, generation: number) => JSON.stringify({ seed, generation, lineage: 'grounded' });

describe('seed parts', () => {
  it('names a seed`s part file', () => {
    expect(partPath(7)).toBe('parts/metrics-s7.jsonl');
    expect(partPath(0)).toBe('parts/metrics-s0.jsonl');
  });

  it('SeedPartStorage sends metrics.jsonl to the seed`s part and every other path through unchanged', async () => {
    const inner = new MemoryStorage();
    const s = new SeedPartStorage(inner, 3);
    await s.write(METRICS, 'a\n');
    await s.append(METRICS, 'b\n');
    await s.write('state/s3.json', '{}');
    await s.append('log.txt', 'x');
    expect(await s.read(METRICS)).toBe('a\nb\n');
    expect(await s.exists(METRICS)).toBe(true);
    expect(await s.exists('nothing')).toBe(false);
    expect(await s.read('state/s3.json')).toBe('{}');
    expect([...inner.files.keys()].sort()).toEqual(['log.txt', 'parts/metrics-s3.jsonl', 'state/s3.json']);
    expect(inner.calls).toEqual([
      'write parts/metrics-s3.jsonl',
      'append parts/metrics-s3.jsonl',
      'write state/s3.json',
      'append log.txt',
      'read parts/metrics-s3.jsonl',
      'exists parts/metrics-s3.jsonl',
      'exists nothing',
      'read state/s3.json',
    ]);
  });

  it('rowsBySeed takes, per seed, the longer of metrics.jsonl`s rows and its part (a torn last line left out)', async () => {
    const st = new MemoryStorage();
    st.files.set(METRICS, [row(1, 0), row(2, 0), row(1, 1), row(2, 1)].join('\n') + '\n');
    st.files.set(partPath(1), [row(1, 0), row(1, 1), row(1, 2)].join('\n') + '\n'); // longer: wins
    st.files.set(partPath(2), row(2, 0) + '\n'); // shorter: the joined rows win
    st.files.set(partPath(3), row(3, 0) + '\n{"seed":3,"gen'); // torn last line
    const rows = await rowsBySeed(st, [1, 2, 3, 4]);
    expect(rows.get(1)).toEqual([row(1, 0), row(1, 1), row(1, 2)]);
    expect(rows.get(2)).toEqual([row(2, 0), row(2, 1)]);
    expect(rows.get(3)).toEqual([row(3, 0)]);
    expect(rows.get(4)).toEqual([]);
    expect([...rows.keys()]).toEqual([1, 2, 3, 4]);
  });

  it('equal lengths keep metrics.jsonl`s rows', async () => {
    const st = new MemoryStorage();
    st.files.set(METRICS, JSON.stringify({ seed: 1, generation: 0, from: 'joined' }) + '\n');
    st.files.set(partPath(1), JSON.stringify({ seed: 1, generation: 0, from: 'part' }) + '\n');
    expect((await rowsBySeed(st, [1])).get(1)).toEqual([JSON.stringify({ seed: 1, generation: 0, from: 'joined' })]);
  });

  it('splitIntoParts writes every seed`s finished rows, one per line, into its part (empty when none)', async () => {
    const st = new MemoryStorage();
    st.files.set(METRICS, [row(2, 0), row(1, 0), row(2, 1)].join('\n') + '\n');
    await splitIntoParts(st, [1, 2, 5]);
    expect(st.files.get(partPath(1))).toBe(row(1, 0) + '\n');
    expect(st.files.get(partPath(2))).toBe(row(2, 0) + '\n' + row(2, 1) + '\n');
    expect(st.files.get(partPath(5))).toBe('');
    expect(st.files.get(METRICS)).toBe([row(2, 0), row(1, 0), row(2, 1)].join('\n') + '\n');
  });

  it('joinedParts and joinParts join the parts in the order of the seeds given (a missing part is empty)', async () => {
    const st = new MemoryStorage();
    st.files.set(partPath(2), row(2, 0) + '\n' + row(2, 1) + '\n');
    st.files.set(partPath(1), row(1, 0) + '\n');
    const expected = row(2, 0) + '\n' + row(2, 1) + '\n' + row(1, 0) + '\n';
    expect(await joinedParts(st, [2, 9, 1])).toBe(expected);
    expect(st.files.has(METRICS)).toBe(false);
    expect(await joinParts(st, [2, 9, 1])).toBe(3);
    expect(st.files.get(METRICS)).toBe(expected);
    expect(await joinParts(new MemoryStorage(), [1, 2])).toBe(0);
  });

  it('joinParts counts only non-blank lines', async () => {
    const st = new MemoryStorage();
    st.files.set(partPath(1), row(1, 0) + '\n\n  \n' + row(1, 1) + '\n');
    expect(await joinParts(st, [1])).toBe(2);
  });

  it('consolidateParts folds the parts into metrics.jsonl in seed order, keeping the longer record per seed', async () => {
    const st = new MemoryStorage();
    st.files.set(METRICS, [row(1, 0), row(2, 0), row(2, 1)].join('\n') + '\n');
    st.files.set(partPath(1), [row(1, 0), row(1, 1)].join('\n') + '\n');
    await consolidateParts(st, [1, 2]);
    expect(st.files.get(METRICS)).toBe([row(1, 0), row(1, 1), row(2, 0), row(2, 1)].join('\n') + '\n');
    const empty = new MemoryStorage();
    await consolidateParts(empty, [1]);
    expect(empty.files.get(METRICS)).toBe('');
  });
});
