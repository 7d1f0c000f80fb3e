/**
 * A cooperative interrupt for long synchronous work (training epochs, simulation steps). The
 * host installs a check that can change while this thread computes, e.g. an Atomics flag shared
 * with the thread that received Ctrl-C; `checkInterrupt` throws `Interrupted` when it is set.
 * Interrupted work is abandoned: nothing it computed is stored, so `--resume` redoes it.
 */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

let check: () => boolean = () => false;

/** Install (or with null, remove) the interrupt check of this thread. */
export function setInterruptCheck(fn: (() => boolean) | null): void {
  // Stryker disable next-line ArrowFunction: a removed check returning undefined is as false as one returning false
  check = fn ?? (() => false);
}

export function checkInterrupt(): void {
  if (check()) throw new Interrupted();
}
