/**
 * Array helpers that never spread an array into function arguments: `Math.max(...xs)` and
 * `a.push(...xs)` overflow the call stack once `xs` holds a few hundred thousand items.
 */

/** Largest value (-Infinity for an empty list), like Math.max(...xs). */
export function maxOf(xs: ArrayLike<number>): number {
  let m = -Infinity;
  // Stryker disable next-line EqualityOperator: one read past the end gives undefined, which is not NaN and not > m
  for (let i = 0; i < xs.length; i++) {
    if (Number.isNaN(xs[i])) return NaN;
    if (xs[i] > m) m = xs[i];
  }
  return m;
}

/** Smallest value (Infinity for an empty list), like Math.min(...xs). */
export function minOf(xs: ArrayLike<number>): number {
  let m = Infinity;
  // Stryker disable next-line EqualityOperator: one read past the end gives undefined, which is not NaN and not < m
  for (let i = 0; i < xs.length; i++) {
    if (Number.isNaN(xs[i])) return NaN;
    if (xs[i] < m) m = xs[i];
  }
  return m;
}

/** Append every item of `items` to `target` (like target.push(...items)); returns target. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const x of items) target.push(x);
  return target;
}
