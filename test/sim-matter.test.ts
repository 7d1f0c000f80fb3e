/** sim/matter.ts: the simulations' matter-js reads no clock while it steps. */
import { describe, expect, it } from 'vitest';
import Matter from '../sim/matter.ts';
import { duelDef } from '../sim/duel.ts';

describe('sim/matter', () => {
  it('Common.now is a constant, so Engine.update reads no clock (lastElapsed stays 0)', () => {
    const t0 = Date.now();
    while (Date.now() === t0); // the wall clock has moved on
    expect(Matter.Common.now()).toBe(0);
    const engine = Matter.Engine.create();
    Matter.Composite.add(engine.world, Matter.Bodies.circle(0, 0, 5));
    for (let i = 0; i < 30; i++) Matter.Engine.update(engine, 1000 / 60);
    expect(engine.timing.lastElapsed).toBe(0);
    // the duel uses the same module (a shot still flies and lands)
    const duel = duelDef.create();
    duel.reset(3);
    const r = duel.step([[0.2, 0.5], [0, 0]]);
    expect(r.info.step).toBe(1);
  });
});
