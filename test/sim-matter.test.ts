/** sim/matter.ts: the simulations' matter-js reads no clock while it steps, and parses a path once. */
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

  it('Vertices.fromPath: the parsed numbers, in new vertices for each body, whatever was done to earlier ones', () => {
    const path = 'L 0 0 L 12.5 0 L 12.5 -3e-1 L 0 7';
    const a = Matter.Body.create({});
    const b = Matter.Body.create({});
    const va = Matter.Vertices.fromPath(path, a);
    expect(va.map((v) => [v.x, v.y])).toEqual([[0, 0], [12.5, 0], [12.5, -0.3], [0, 7]]);
    va[1].x = 99;
    const vb = Matter.Vertices.fromPath(path, b);
    expect(vb.map((v) => [v.x, v.y])).toEqual([[0, 0], [12.5, 0], [12.5, -0.3], [0, 7]]);
    expect(vb[0]).not.toBe(va[0]);
    expect(vb.every((v, i) => (v as Matter.Vector & { body: Matter.Body; index: number }).body === b && (v as Matter.Vector & { index: number }).index === i)).toBe(true);
    // a rectangle made twice has the same vertices
    const r1 = Matter.Bodies.rectangle(10, 20, 30, 40);
    const r2 = Matter.Bodies.rectangle(10, 20, 30, 40);
    expect(r2.vertices.map((v) => [v.x, v.y])).toEqual(r1.vertices.map((v) => [v.x, v.y]));
  });

  it('the detector sorts its bodies in place into the order of the stable Array.prototype.sort, ties kept in insertion order', () => {
    const xs = [5, 1, 5, -2, 1, 9, 5, 0, -2, 3];
    const bodies = xs.map((x, i) => Matter.Bodies.rectangle(x, i, 1, 1, { label: `b${i}` }));
    const detector = Matter.Detector.create();
    Matter.Detector.setBodies(detector, bodies);
    const list = detector.bodies;
    expect(Object.keys(list)).toEqual(xs.map((_, i) => String(i))); // the sort is not an enumerable key
    Matter.Detector.collisions(detector);
    expect(detector.bodies).toBe(list); // sorted in place
    const expected = Array.prototype.sort.call([...bodies], (Matter.Detector as unknown as { _compareBoundsX: never })._compareBoundsX) as Matter.Body[];
    expect(list.map((b) => b.label)).toEqual(expected.map((b) => b.label));
    expect(list.map((b) => b.label).slice(0, 5)).toEqual(['b3', 'b8', 'b7', 'b1', 'b4']);
  });

  it('Events.trigger: listeners still hear their events; an engine without any is skipped', () => {
    const engine = Matter.Engine.create();
    let heard = 0;
    Matter.Engine.update(engine, 1000 / 60);
    Matter.Events.on(engine, 'afterUpdate', () => heard++);
    Matter.Engine.update(engine, 1000 / 60);
    Matter.Engine.update(engine, 1000 / 60);
    expect(heard).toBe(2);
  });
});
