/**
 * matter-js as the simulations use it, with changes that alter no result, only its cost:
 *
 * - `Engine.update` reads the clock (`Common.now`, Date.now in
 * Node and in a worker) twice per step only to report `engine.timing.lastElapsed`, which nothing
 *   here reads; a constant keeps clock time out of the simulation (determinism) and saves about 2 % of
 *   a run (two clock reads per 1/60 s step). Only the Runner, which the simulations never use, reads
 *   it for anything else.
 * - `Vertices.fromPath` parses its path string with a regular expression each time a rectangle or a
 *   circle is made (every shell of every duel shot, every wall of every hockey reset); the parsed
 *   points of a path are kept, so each body still gets new vertices with the same numbers.
 * - Garbage: of the memory a `classroom` seed allocates, about 40 % came from two lines run every
 *   step. `Detector.collisions` sorts its few bodies by their left edge with Array.prototype.sort,
 *   which copies the array into a scratch array each time: the detector's list now sorts itself in
 *   place by insertion, a stable sort like V8's, so the same order (a stable sort's result is unique
 *   for a given comparator). `Events.trigger` (four times a step) listed the engine's event names
 *   with Object.keys only to see whether there are any: it now stops, allocating nothing, when there
 *   are none (the simulations listen to no events).
 * - `step`: `Engine.update` for a world whose one moving body is far from everything else (a duel's
 *   shell in flight), without the phases that can do nothing then (below).
 */
import Matter from 'matter-js';

Matter.Common.now = () => 0;

const parse = Matter.Vertices.fromPath;
const parsed = new Map<string, Matter.Vector[]>();
Matter.Vertices.fromPath = (path: string, body: Matter.Body): Matter.Vector[] => {
  let points = parsed.get(path);
  if (!points) {
    points = parse(path, body).map((v) => ({ x: v.x, y: v.y }));
    if (parsed.size >= 256) parsed.clear();
    parsed.set(path, points);
  }
  return Matter.Vertices.create(points, body);
};

/** In-place stable insertion sort: the order Array.prototype.sort (stable) gives, without its scratch copy. */
function sortInPlace<T>(this: T[], compare: (a: T, b: T) => number): T[] {
  for (let i = 1; i < this.length; i++) {
    const x = this[i];
    let j = i - 1;
    while (j >= 0 && compare(this[j], x) > 0) {
      this[j + 1] = this[j];
      j--;
    }
    this[j + 1] = x;
  }
  return this;
}

const setBodies = Matter.Detector.setBodies;
Matter.Detector.setBodies = (detector: Matter.Detector, bodies: Matter.Body[]): void => {
  setBodies(detector, bodies);
  Object.defineProperty(detector.bodies, 'sort', { value: sortInPlace, enumerable: false, configurable: true, writable: true });
};

const hasOwn = Object.prototype.hasOwnProperty;

/** Whether anything listens to `object`'s events (what Events.trigger asks with Object.keys, without the array). */
function hasListeners(object: unknown): boolean {
  const events = (object as { events?: object | null }).events;
  if (events) for (const k in events) if (hasOwn.call(events, k)) return true;
  return false;
}

const trigger = Matter.Events.trigger;
Matter.Events.trigger = (object: unknown, eventNames: string, event?: unknown): void => {
  if (hasListeners(object)) trigger(object as never, eventNames, event as never);
};

/**
 * One `Engine.update(engine, delta)` — with the same resulting state, bit for bit — for a world of
 * static bodies and one body `mover` (no constraints, no sleeping, no listeners, no contact
 * pairs). When `mover`'s bounds, widened by more than it can move in one step, touch no other
 * body's bounds, the broadphase can find no pair, so collision detection, contact resolution, the
 * constraint passes and the events are no-ops: only gravity, the body update, the broadphase's sort
 * (which orders the detector's list), the position pass's contact reset, the velocity update and
 * the force reset change anything, and only those run, in `Engine.update`'s order. Otherwise, and
 * whenever the world is not of that kind, `Engine.update` itself runs. About 3 million steps of a
 * `classroom` seed are shells in flight.
 */
export function step(engine: Matter.Engine, delta: number, mover: Matter.Body): void {
  if (!canStepFree(engine, delta, mover)) {
    Matter.Engine.update(engine, delta);
    return;
  }
  const E = Matter.Engine as unknown as EngineInternals;
  const timing = engine.timing;
  const d = delta * timing.timeScale;
  timing.timestamp += d;
  timing.lastDelta = d;
  const bodies = Matter.Composite.allBodies(engine.world);
  E._bodiesApplyGravity(bodies, engine.gravity);
  if (d > 0) E._bodiesUpdate(bodies, d);
  const detector = engine.detector as unknown as { bodies: Matter.Body[] };
  detector.bodies.sort((Matter.Detector as unknown as { _compareBoundsX: (a: Matter.Body, b: Matter.Body) => number })._compareBoundsX);
  (Matter.Resolver as unknown as { postSolvePosition(b: Matter.Body[]): void }).postSolvePosition(bodies);
  E._bodiesUpdateVelocities(bodies);
  E._bodiesClearForces(bodies);
  timing.lastElapsed = 0;
}

interface EngineInternals {
  _bodiesApplyGravity(bodies: Matter.Body[], gravity: Matter.Gravity): void;
  _bodiesUpdate(bodies: Matter.Body[], delta: number): void;
  _bodiesUpdateVelocities(bodies: Matter.Body[]): void;
  _bodiesClearForces(bodies: Matter.Body[]): void;
}

function canStepFree(engine: Matter.Engine, delta: number, mover: Matter.Body): boolean {
  const world = engine.world;
  if (world.isModified || engine.enableSleeping || !(delta > 0) || engine.pairs.list.length > 0) return false;
  if (hasListeners(engine) || Matter.Composite.allConstraints(world).length > 0) return false;
  // a constraint impulse left on the body moves it in the constraint passes, which are skipped (a
  // position impulse is applied by the position pass, which runs)
  const mv = mover as Matter.Body & { constraintImpulse: Matter.Vector & { angle: number }; positionPrev: Matter.Vector };
  const ci = mv.constraintImpulse;
  if (ci.x !== 0 || ci.y !== 0 || ci.angle !== 0) return false;
  // more than the mover can travel in a step: twice its last displacement plus 4 units
  const m = 2 * (Math.abs(mv.position.x - mv.positionPrev.x) + Math.abs(mv.position.y - mv.positionPrev.y)) + 4;
  const b = mover.bounds;
  const x0 = b.min.x - m, x1 = b.max.x + m, y0 = b.min.y - m, y1 = b.max.y + m;
  for (const other of Matter.Composite.allBodies(world)) {
    if (other === mover) continue;
    if (!other.isStatic) return false;
    const o = other.bounds;
    if (o.min.x <= x1 && o.max.x >= x0 && o.min.y <= y1 && o.max.y >= y0) return false;
  }
  return Number.isFinite(m);
}

export default Matter;
