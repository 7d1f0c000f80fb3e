/** lab/bundle.ts directly: every refusal names its part, every path rule at its boundary. */
import { describe, expect, it } from 'vitest';
import { BundleError, isSafeRunPath, parseRunBundle } from '../lab/bundle.ts';

const files = { 'manifest.json': '{}', 'metrics.jsonl': '' };
const bundle = (o: Record<string, unknown>) => JSON.stringify({ format: 'driftlab-run-bundle', formatVersion: 1, name: 'my run', files, ...o });
const refusal = (text: string): [string, string] => {
  try {
    parseRunBundle(text);
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    expect((e as Error).name).toBe('BundleError');
    return [(e as BundleError).field, (e as Error).message];
  }
  throw new Error('expected a BundleError');
};

describe('isSafeRunPath', () => {
  it('accepts relative paths inside the folder and refuses each way out, at the length limits', () => {
    for (const p of ['manifest.json', 'a', 'checkpoints/g1/policy.json', 'x'.repeat(255), `${'a/'.repeat(255)}b`, 'a..b', '.hidden', 'a/c:d', '1:d']) {
      expect([p.slice(0, 20), isSafeRunPath(p)]).toEqual([p.slice(0, 20), true]);
    }
    for (const p of ['', '/etc/passwd', 'a\\b', 'a\0b', 'C:/x', 'c:', 'a//b', 'a/', './a', 'a/./b', '../a', 'a/..', 'x'.repeat(256), `${'a/'.repeat(255)}bc`]) {
      expect([p.slice(0, 20), isSafeRunPath(p)]).toEqual([p.slice(0, 20), false]);
    }
    expect(`${'a/'.repeat(255)}b`.length).toBe(511);
    expect(`${'a/'.repeat(255)}bc`.length).toBe(512);
  });
});

describe('parseRunBundle', () => {
  it('returns the name and the files sorted by path', () => {
    const b = parseRunBundle(bundle({ files: { 'samples/z.json': 'z', 'metrics.jsonl': 'm', 'state/a.json': 's', 'manifest.json': '{}', 'checkpoints/b/c.json': 'c' } }));
    expect(b.name).toBe('my run');
    expect([...b.files.entries()]).toEqual([
      ['checkpoints/b/c.json', 'c'],
      ['manifest.json', '{}'],
      ['metrics.jsonl', 'm'],
      ['samples/z.json', 'z'],
      ['state/a.json', 's'],
    ]);
    // a missing, blank or non-text name falls back to "run"; a name with spaces around is kept as given
    expect(parseRunBundle(bundle({ name: undefined })).name).toBe('run');
    expect(parseRunBundle(bundle({ name: '   ' })).name).toBe('run');
    expect(parseRunBundle(bundle({ name: 7 })).name).toBe('run');
    expect(parseRunBundle(bundle({ name: ' x ' })).name).toBe(' x ');
  });

  it('names the part it refuses', () => {
    const [field, msg] = refusal('{not json');
    expect(field).toBe('bundle');
    expect(msg).toMatch(/^bundle: is not valid JSON \(.+\)$/);
    expect(refusal('[]')).toEqual(['bundle', 'bundle: is not a JSON object']);
    expect(refusal('null')).toEqual(['bundle', 'bundle: is not a JSON object']);
    expect(refusal('"text"')).toEqual(['bundle', 'bundle: is not a JSON object']);
    expect(refusal(bundle({ format: 'other' }))).toEqual(['bundle', 'bundle: has format "other", expected "driftlab-run-bundle" (a file saved with "Save run")']);
    expect(refusal(bundle({ format: undefined }))).toEqual(['bundle', 'bundle: has format undefined, expected "driftlab-run-bundle" (a file saved with "Save run")']);
    expect(refusal(bundle({ formatVersion: 2 }))).toEqual(['bundle', 'bundle: has formatVersion 2, expected 1']);
    expect(refusal(bundle({ formatVersion: '1' }))).toEqual(['bundle', 'bundle: has formatVersion "1", expected 1']);
    expect(refusal(bundle({ formatVersion: undefined }))).toEqual(['bundle', 'bundle: has formatVersion undefined, expected 1']);
    for (const f of [null, [], 'x', undefined]) expect(refusal(bundle({ files: f }))).toEqual(['files', 'files: is missing or not an object of path → text']);
    expect(refusal(bundle({ files: { ...files, '../x.json': '' } }))).toEqual(['../x.json', '../x.json: is not a relative path inside a run folder']);
    expect(refusal(bundle({ files: { ...files, 'notes.txt': '' } }))).toEqual([
      'notes.txt',
      'notes.txt: is not a run file (allowed: manifest.json, metrics.jsonl, checkpoints/…, samples/…, state/… .json)',
    ]);
    for (const p of ['checkpoints/a.txt', 'other/a.json', 'xmanifest.json', 'manifest.jsonx', 'state/a b.json', 'samples/.json']) {
      expect(refusal(bundle({ files: { ...files, [p]: '' } }))[0]).toBe(p);
    }
    expect(refusal(bundle({ files: { ...files, 'samples/a.json': 3 } }))).toEqual(['samples/a.json', 'samples/a.json: is not text']);
    expect(refusal(bundle({ files: { 'metrics.jsonl': '' } }))).toEqual(['manifest.json', 'manifest.json: is missing from the bundle']);
    expect(refusal(bundle({ files: { 'manifest.json': '' } }))).toEqual(['metrics.jsonl', 'metrics.jsonl: is missing from the bundle']);
    // paths are checked in sorted order: the first bad one is named
    expect(refusal(bundle({ files: { ...files, 'z.txt': '', 'b.txt': '' } }))[0]).toBe('b.txt');
  });
});
