/**
 * Golden results (see test/golden/golden.ts): small fixed runs compared with the key numbers
 * checked in. A failure here means a result changed: if the change is intended, run
 * `npm run golden:update` and review the diff of test/golden/*.json in the commit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { calibrationGolden, physicsConfigs, physicsGolden, type CalibrationGolden, type PhysicsGolden } from './golden/golden.ts';

const dir = join(import.meta.dirname, 'golden');
const load = <T,>(f: string): T => JSON.parse(readFileSync(join(dir, f), 'utf8')) as T;
const HINT = 'a result changed; if intended, run `npm run golden:update` and review the diff';

beforeAll(async () => {
  await initTf('wasm');
});

describe('golden physics runs', () => {
  const stored = load<PhysicsGolden[]>('physics.json');
  it('cover every golden config', () => {
    expect(stored.map((g) => g.name)).toEqual(physicsConfigs.map((c) => c.name));
  });
  for (const cfg of physicsConfigs) {
    it(`${cfg.name}: who wins, win rates, Elo order and key metrics are unchanged`, async () => {
      const want = stored.find((g) => g.name === cfg.name)!;
      const got = await physicsGolden(cfg);
      expect(got.winRateOrder, HINT).toEqual(want.winRateOrder);
      expect(got.eloOrder, HINT).toEqual(want.eloOrder);
      expect(got.table, HINT).toEqual(want.table);
    });
  }
});

describe('golden calibration run', () => {
  it('measured values and theory are unchanged', () => {
    const want = load<CalibrationGolden>('calibration.json');
    expect(calibrationGolden().table, HINT).toEqual(want.table);
  });
  it('the stored theory agrees with the closed forms it claims (a golden that cannot drift into nonsense)', () => {
    const { table } = load<CalibrationGolden>('calibration.json');
    // E[σ²_n] = ((M−1)/M)^n for mle replace, 1 for unbiased replace
    expect(table['gaussian/mle/replace/M=5']['12'].theoryVariance).toBeCloseTo(0.8 ** 12, 9);
    expect(table['gaussian/unbiased/replace/M=50']['6'].theoryVariance).toBe(1);
    // measured values sit near their theory at generation 1 (4 seeds, loose)
    for (const [l, gens] of Object.entries(table)) {
      const g1 = gens['1'];
      if (g1.theoryVariance != null && l.includes('M=50')) expect(Math.abs(g1.variance! - g1.theoryVariance)).toBeLessThan(0.35);
    }
  });
});
