/**
 * matter-js as the simulations use it, with two changes that alter no result:
 *
 * - `Engine.update` reads the clock (`Common.now`, Date.now in
 * Node and in a worker) twice per step only to report `engine.timing.lastElapsed`, which nothing
 *   here reads; a constant keeps clock time out of the simulation (determinism) and saves about 2 % of
 *   a run (two clock reads per 1/60 s step). Only the Runner, which the simulations never use, reads
 *   it for anything else.
 * - `Vertices.fromPath` parses its path string with a regular expression each time a rectangle or a
 *   circle is made (every shell of every duel shot, every wall of every hockey reset); the parsed
 *   points of a path are kept, so each body still gets new vertices with the same numbers.
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

export default Matter;
