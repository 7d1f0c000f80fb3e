/**
 * Presenter-mode narration from the lab's events, with the real numbers: what the audience sees
 * at each stage of a run. Pure: no DOM.
 */
import type { MetricsRow } from '../lab/types.ts';
import type { PhysicsExperiment } from '../lab/config.ts';
import { resolveLineages } from '../lab/config.ts';
import { clearlyAbove, clearlyBelow, differenceCI, valueCI } from '../lab/claims.ts';
import { maxOf } from '../sim/arrays.ts';

export interface NarrationStep {
  /** short heading, e.g. "Generation 4" */
  label: string;
  text: string;
  /** the generation this step is about (the arenas show it while the step is on screen) */
  generation?: number;
}

const pct = (x: number) => `${Math.round(100 * x)}%`;

const RARE: Record<string, string> = { duel: 'high lob shots', hockey: 'bank shots off the side walls' };

function meanBy(rows: readonly MetricsRow[], f: (r: MetricsRow) => number | null): number | null {
  const v = rows.map(f).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function sourceWords(exp: PhysicsExperiment): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of resolveLineages(exp)) {
    const r = l.recipe;
    let s = r.source === 'simulator' ? `plays ${r.episodes} real games in the simulator` : `dreams ${r.episodes} games with its own world model`;
    if (r.source === 'imagination' && r.verify !== 'none') s += ' and checks them against reality';
    if (r.realFraction > 0) s += ` (${pct(r.realFraction)} fresh real games mixed in)`;
    if (r.retain === 'accumulate') s += ', keeping all earlier data';
    out.set(l.name, s);
  }
  return out;
}

/** What happens when a run starts. */
export function startStep(exp: PhysicsExperiment): NarrationStep {
  const names = exp.lineages.map((l) => l.name);
  return {
    label: 'The experiment',
    text:
      `${exp.d0.episodes} real games by scripted players train generation 0, shared by ${list(names)}. ` +
      `Then ${exp.generations} generations grow from it, each lineage with its own data recipe; every generation is judged in the real simulator.`,
  };
}

/** Generation n's data is being made: what each lineage learns from. */
export function progressStep(exp: PhysicsExperiment, generation: number): NarrationStep | null {
  if (generation < 1) return null;
  const words = sourceWords(exp);
  const parts = exp.lineages.map((l) => `${l.name} ${words.get(l.name) ?? ''}`.trim());
  return { label: `Generation ${generation}`, text: `Making generation ${generation}'s training data from generation ${generation - 1}: ${parts.join('; ')}.` };
}

/**
 * A generation is judged: believed vs real win rate of each lineage (mean over seeds), and the
 * share of rare-style play against the real data's.
 */
export function generationStep(exp: PhysicsExperiment, generation: number, rows: readonly MetricsRow[]): NarrationStep {
  const sel = rows.filter((r) => r.generation === generation);
  const lineages = exp.lineages.map((l) => l.name).filter((l) => sel.some((r) => r.lineage === l));
  const parts: string[] = [];
  if (generation === 0) {
    const real = meanBy(sel, (r) => r.winRate);
    const believed = meanBy(sel, (r) => r.believedWinRate);
    parts.push(
      `Generation 0 really wins ${real === null ? '?' : pct(real)} against the reference panel` +
        (believed === null ? '.' : `; its world model believes it wins ${pct(believed)}.`),
    );
  } else {
    for (const l of lineages) {
      const lr = sel.filter((r) => r.lineage === l);
      const real = meanBy(lr, (r) => r.winRate)!;
      const believed = meanBy(lr, (r) => r.believedWinRate);
      // "overrates itself" only when the run's interval of believed − real clears zero
      const dec = valueCI(rows, l, 'selfDeception', generation);
      if (believed === null) parts.push(`${l} really wins ${pct(real)}.`);
      else if (clearlyAbove(dec)) parts.push(`the ${l} model believes it wins ${pct(believed)} but really wins ${pct(real)}: it overrates itself.`);
      else if (clearlyBelow(dec)) parts.push(`the ${l} model believes it wins ${pct(believed)} but really wins ${pct(real)}: it underrates itself.`);
      else parts.push(`the ${l} model believes it wins ${pct(believed)}; it really wins ${pct(real)} (within the margin of error).`);
    }
  }
  const d0 = meanBy(sel, (r) => r.d0TailShare);
  const tails = lineages.map((l) => `${l} ${pct(meanBy(sel.filter((r) => r.lineage === l), (r) => r.tailShare) ?? 0)}`);
  const rare = RARE[exp.scenario] ?? 'rare-style play';
  if (generation > 0 && d0 !== null) parts.push(`Rare ${rare}: ${list(tails)} of play (the real data had ${pct(d0)}).`);
  const text = parts.map((p, i) => (i === 0 && generation > 0 ? `Generation ${generation}: ${p}` : p.charAt(0).toUpperCase() + p.slice(1))).join(' ');
  return { label: `Generation ${generation}`, text, generation };
}

/** The run is over: first vs last generation of each lineage. */
export function doneStep(exp: PhysicsExperiment, rows: readonly MetricsRow[]): NarrationStep {
  const last = Math.max(0, maxOf(rows.map((r) => r.generation)));
  const parts = exp.lineages
    .map((l) => l.name)
    .filter((l) => rows.some((r) => r.lineage === l))
    .map((l) => {
      const first = meanBy(rows.filter((r) => r.lineage === l && r.generation === 0), (r) => r.winRate) ?? 0;
      const end = meanBy(rows.filter((r) => r.lineage === l && r.generation === last), (r) => r.winRate) ?? 0;
      return `${l} went from ${pct(first)} to ${pct(end)}`;
    });
  const names = new Set(rows.map((r) => r.lineage));
  let moral = '';
  if (names.has('grounded') && names.has('recursive')) {
    // a verdict only when the run separates the lineages by a 95% interval (paired by seed)
    const d = differenceCI(rows, 'winRate', 'grounded', 'recursive', last);
    moral = clearlyAbove(d)
      ? ' Grounded, which learns from reality, ends ahead of recursive, which learns only from its own imagination (the 95% interval of the difference is above zero).'
      : clearlyBelow(d)
        ? ' This time recursive ends ahead of grounded (the 95% interval of the difference is below zero).'
        : ' These seeds cannot separate grounded from recursive at the last generation: the 95% interval of the difference includes zero.';
    const nll = differenceCI(rows, 'worldNll', 'recursive', 'grounded', last);
    if (clearlyAbove(nll)) moral += " Recursive's world model now predicts real games worse than grounded's (higher NLL on held-out real play).";
  }
  return { label: 'Result', text: `After ${last} generations, real win rates: ${list(parts)}.${moral}` };
}
