/** lab/host.ts: the in-memory run storage the tests and the web page use. */
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../lab/host.ts';

describe('MemoryStorage', () => {
  it('reads back what was written (bytes as UTF-8 text), null and false for a missing file', async () => {
    const s = new MemoryStorage();
    expect(await s.read('a.txt')).toBeNull();
    expect(await s.exists('a.txt')).toBe(false);
    await s.write('a.txt', 'one');
    await s.write('a.txt', 'two');
    expect(await s.read('a.txt')).toBe('two');
    expect(await s.exists('a.txt')).toBe(true);
    await s.write('b.bin', new TextEncoder().encode('é ok'));
    expect(await s.read('b.bin')).toBe('é ok');
    expect(s.files.get('b.bin')).toBeInstanceOf(Uint8Array);
    await s.write('empty', '');
    expect(await s.read('empty')).toBe('');
    expect(await s.exists('empty')).toBe(true);
  });

  it('append adds one line and its newline, creating the file', async () => {
    const s = new MemoryStorage();
    await s.append('m.jsonl', '{"a":1}');
    await s.append('m.jsonl', '{"a":2}');
    expect(await s.read('m.jsonl')).toBe('{"a":1}\n{"a":2}\n');
    await s.write('n.jsonl', 'x\n');
    await s.append('n.jsonl', 'y');
    expect(await s.read('n.jsonl')).toBe('x\ny\n');
  });
});
