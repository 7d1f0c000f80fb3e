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

const trigger = Matter.Events.trigger;
const hasOwn = Object.prototype.hasOwnProperty;
Matter.Events.trigger = (object: unknown, eventNames: string, event?: unknown): void => {
  const events = (object as { events?: object | null }).events;
  if (!events) return;
  for (const k in events) if (hasOwn.call(events, k)) return trigger(object as never, eventNames, event as never);
};

export default Matter;
