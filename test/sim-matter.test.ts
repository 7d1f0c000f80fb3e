/** sim/matter.ts: the simulations' matter-js reads no clock while it steps, and parses a path once. */
import { describe, expect, it } from 'vitest';
import Matter, { step } from '../sim/matter.ts';
import { Rng } from '../sim/rng.ts';
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

  it('step: the same state as Engine.update after every step of shells that fly, land, hit and leave, skipping the full update in free flight', () => {
    const world = () => {
      const engine = Matter.Engine.create({ gravity: { x: 0, y: 1, scale: 0.001 }, enableSleeping: false });
      const statics = [
        Matter.Bodies.rectangle(500, 620, 1400, 40, { isStatic: true }),
        Matter.Body.create({ position: { x: 500, y: 560 }, vertices: [{ x: 420, y: 600 }, { x: 500, y: 520 }, { x: 580, y: 600 }], isStatic: true }),
        Matter.Bodies.rectangle(150, 590, 30, 20, { isStatic: true }),
        Matter.Bodies.rectangle(850, 590, 30, 20, { isStatic: true }),
      ];
      Matter.Composite.add(engine.world, statics);
      return engine;
    };
    const a = world();
    const b = world();
    const rng = new Rng(42);
    const update = Matter.Engine.update;
    let full = 0;
    let steps = 0;
    (Matter.Engine as { update: typeof update }).update = (e, d) => {
      full++;
      return update(e, d);
    };
    try {
      const snapshot = (e: Matter.Engine, p: Matter.Body) => JSON.stringify([
        p.position, (p as unknown as { positionPrev: unknown }).positionPrev, p.velocity, p.speed, p.angle, p.bounds, p.vertices.map((v) => [v.x, v.y]), p.force,
        e.timing.timestamp,
        // bodies by their place in the world (the two worlds' ids differ)
        e.pairs.list.map((q: { bodyA: Matter.Body; bodyB: Matter.Body }) => [at(e, q.bodyA), at(e, q.bodyB)]),
        (e.detector as unknown as { bodies: Matter.Body[] }).bodies.map((x) => at(e, x)),
      ]);
      const at = (e: Matter.Engine, x: Matter.Body) => Matter.Composite.allBodies(e.world).indexOf(x);
      let outcomes = 0;
      for (let shot = 0; shot < 40; shot++) {
        const speed = rng.uniform(3, 14);
        const th = rng.uniform(0.2, 1.4);
        const wind = rng.uniform(-0.0002, 0.0002);
        const shells = [a, b].map((e) => {
          const p = Matter.Bodies.circle(170, 570, 4, { isSensor: true, frictionAir: 0, friction: 0, frictionStatic: 0, restitution: 0 });
          Matter.Body.setVelocity(p, { x: speed * Math.cos(th), y: -speed * Math.sin(th) });
          e.timing.timestamp = 0;
          Matter.Composite.add(e.world, p);
          return p;
        });
        for (let k = 0; k < 300; k++) {
          shells[0].force.x += shells[0].mass * wind;
          shells[1].force.x += shells[1].mass * wind;
          update(a, 1000 / 60);
          step(b, 1000 / 60, shells[1]);
          steps++;
          expect(snapshot(b, shells[1])).toBe(snapshot(a, shells[0]));
          if (a.pairs.list.length > 0 || shells[0].position.x < -50 || shells[0].position.x > 1050) {
            outcomes++;
            break;
          }
        }
        for (const [e, p] of [[a, shells[0]], [b, shells[1]]] as const) {
          Matter.Composite.remove(e.world, p);
          Matter.Engine.clear(e);
        }
      }
      expect(outcomes).toBe(40);
      // most steps took the short way
      expect(full).toBeLessThan(steps / 3);
      expect(full).toBeGreaterThan(40);
    } finally {
      (Matter.Engine as { update: typeof update }).update = update;
    }
  });
});

/**
 * `step` against `Engine.update` in worlds where its shortcut must not be taken (or must be taken
 * with care): two copies of a world built the same way, one stepped with Engine.update and one with
 * step, compared after every step on every body's state, the pairs, listeners' calls and timing.
 */
describe('sim/matter step: the same as Engine.update wherever the shortcut would be wrong', () => {
  type Built = { engine: Matter.Engine; mover: Matter.Body; log: number[] };
  const state = ({ engine, log }: Built) => {
    const bodies = Matter.Composite.allBodies(engine.world);
    const at = (x: Matter.Body) => bodies.indexOf(x);
    return JSON.stringify([
      bodies.map((b) => {
        const x = b as Matter.Body & { positionPrev: Matter.Vector; positionImpulse: Matter.Vector; constraintImpulse: Matter.Vector; sleepCounter: number };
        return [x.position, x.positionPrev, x.velocity, x.angle, x.bounds, x.positionImpulse, x.constraintImpulse, x.isSleeping, x.sleepCounter, x.vertices.map((v) => [v.x, v.y])];
      }),
      engine.timing.timestamp,
      engine.pairs.list.map((q: { bodyA: Matter.Body; bodyB: Matter.Body; isActive: boolean }) => [at(q.bodyA), at(q.bodyB), q.isActive]),
      (engine.detector as unknown as { bodies: Matter.Body[] }).bodies.map(at),
      log,
    ]);
  };
  const lockstep = (build: () => Built, steps: number, delta = 1000 / 60) => {
    const a = build();
    const b = build();
    for (let k = 0; k < steps; k++) {
      Matter.Engine.update(a.engine, delta);
      step(b.engine, delta, b.mover);
      expect(state(b), `step ${k}`).toBe(state(a));
    }
  };
  const ground = () => Matter.Bodies.rectangle(500, 620, 1400, 40, { isStatic: true });
  const engineWith = (...bodies: Matter.Body[]) => {
    const engine = Matter.Engine.create({ gravity: { x: 0, y: 1, scale: 0.001 } });
    Matter.Composite.add(engine.world, bodies);
    return engine;
  };

  it('a slow shell settling onto the ground from just above it (a small step, so a small margin), fired left and right', () => {
    for (const vx of [-0.05, 0.05, -6, 6]) {
      lockstep(() => {
        const mover = Matter.Bodies.circle(500, 590, 4, { isSensor: true, frictionAir: 0 });
        Matter.Body.setVelocity(mover, { x: vx, y: 0 });
        return { engine: engineWith(ground(), mover), mover, log: [] };
      }, 60);
    }
  });

  it('a ball that bounces and comes to rest (contact pairs, position impulses), with sleeping on', () => {
    for (const sleeping of [false, true]) {
      lockstep(() => {
        const mover = Matter.Bodies.circle(500, 520, 8, { restitution: 0.6 });
        const engine = engineWith(ground(), mover);
        engine.enableSleeping = sleeping;
        return { engine, mover, log: [] };
      }, 240);
    }
  });

  it('listeners hear every step; a constraint pulls; other moving bodies collide far away; a slower clock', () => {
    lockstep(() => {
      const mover = Matter.Bodies.circle(100, 100, 5, { isSensor: true });
      const engine = engineWith(ground(), mover);
      const log: number[] = [];
      Matter.Events.on(engine, 'afterUpdate', () => log.push(engine.timing.timestamp));
      return { engine, mover, log };
    }, 30);
    lockstep(() => {
      const mover = Matter.Bodies.circle(100, 100, 5, { isSensor: true });
      const engine = engineWith(ground(), mover);
      Matter.Composite.add(engine.world, Matter.Constraint.create({ pointA: { x: 300, y: 100 }, bodyB: mover, stiffness: 0.01 }));
      return { engine, mover, log: [] };
    }, 60);
    lockstep(() => {
      const mover = Matter.Bodies.circle(100, 100, 5, { isSensor: true });
      const left = Matter.Bodies.circle(700, 300, 10);
      const right = Matter.Bodies.circle(760, 300, 10);
      Matter.Body.setVelocity(left, { x: 3, y: 0 });
      Matter.Body.setVelocity(right, { x: -3, y: 0 });
      return { engine: engineWith(ground(), mover, left, right), mover, log: [] };
    }, 40);
    lockstep(() => {
      const mover = Matter.Bodies.circle(100, 100, 5, { isSensor: true });
      Matter.Body.setVelocity(mover, { x: 2, y: -1 });
      const engine = engineWith(ground(), mover);
      engine.timing.timeScale = 0.5;
      return { engine, mover, log: [] };
    }, 40);
    // a zero step
    lockstep(() => {
      const mover = Matter.Bodies.circle(100, 100, 5, { isSensor: true });
      Matter.Body.setVelocity(mover, { x: 2, y: -1 });
      return { engine: engineWith(ground(), mover), mover, log: [] };
    }, 5, 0);
  });

  it('a shell given a position or constraint impulse (as a resolved contact leaves) moves by it as in Engine.update', () => {
    for (const kind of ['positionImpulse', 'constraintImpulse'] as const) {
      for (const impulse of [{ x: 0.5 }, { y: -0.25 }, { angle: 0.1 }]) {
        lockstep(() => {
          const mover = Matter.Bodies.circle(100, 100, 5, { isSensor: true });
          const engine = engineWith(ground(), mover);
          Matter.Engine.update(engine, 1000 / 60); // not modified any more
          Object.assign((mover as unknown as Record<string, Matter.Vector>)[kind], impulse);
          return { engine, mover, log: [] };
        }, 10);
      }
    }
  });

  it('shells meeting walls on their left and right and a ceiling above, fast and slow, and a static "mover"', () => {
    const walls = () => [
      Matter.Bodies.rectangle(300, 300, 20, 600, { isStatic: true }),
      Matter.Bodies.rectangle(700, 300, 20, 600, { isStatic: true }),
      Matter.Bodies.rectangle(500, 40, 400, 20, { isStatic: true }),
    ];
    for (const v of [{ x: -0.3, y: 0 }, { x: 0.3, y: 0 }, { x: -7, y: -1 }, { x: 7, y: -1 }, { x: 0, y: -9 }, { x: 0.1, y: -4.2 }]) {
      lockstep(() => {
        const mover = Matter.Bodies.circle(500, 300, 4, { isSensor: true, frictionAir: 0 });
        Matter.Body.setVelocity(mover, v);
        const engine = engineWith(ground(), ...walls(), mover);
        engine.gravity.scale = 0.0001;
        return { engine, mover, log: [] };
      }, 120);
    }
    lockstep(() => {
      const mover = Matter.Bodies.circle(500, 300, 4, { isStatic: true });
      return { engine: engineWith(ground(), mover), mover, log: [] };
    }, 5);
  });
});
