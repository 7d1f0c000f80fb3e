/**
 * matter-js as the simulations use it. `Engine.update` reads the clock (`Common.now`, Date.now in
 * Node and in a worker) twice per step only to report `engine.timing.lastElapsed`, which nothing
 * here reads; a constant keeps clock time out of the simulation (determinism) and saves about 2 % of
 * a run (two clock reads per 1/60 s step). Only the Runner, which the simulations never use, reads
 * it for anything else.
 */
import Matter from 'matter-js';

Matter.Common.now = () => 0;

export default Matter;
