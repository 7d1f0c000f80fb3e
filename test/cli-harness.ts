/** Shared by the CLI tests: run `driftlab` in-process with captured output, and a tiny duel preset. */
import { Writable } from 'node:stream';
import { main } from '../cli/main.ts';

/** A writable stream that keeps what is written. */
export function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

/** `driftlab ...argv` in this process: exit code, stdout, stderr. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await main(argv, out.stream, err.stream);
  return { code, out: out.text(), err: err.text() };
}

/**
 * A duel preset small enough for a test (seconds), with an expectation that is unmet on purpose;
 * `overrides` replace top-level fields (e.g. seeds, or expectations: []).
 */
export function tinyDuel(name: string, generations: number, overrides: Record<string, unknown> = {}) {
  return {
    name,
    scenario: 'duel',
    seeds: [3],
    generations,
    d0: { episodes: 24 },
    model: { hidden: [16], components: 2, worldHidden: [16] },
    training: { epochs: 3, batchSize: 64 },
    evaluation: { panelGames: 4, roundRobinGames: 2, selfPlayEpisodes: 4 },
    lineages: [
      { name: 'grounded', recipe: 'grounded', episodes: 8 },
      { name: 'recursive', recipe: 'recursive', episodes: 8 },
    ],
    expectations: [{ kind: 'trend', lineage: 'grounded', metric: 'trainSamples', direction: 'up', by: 1000000 }],
    ...overrides,
  };
}
