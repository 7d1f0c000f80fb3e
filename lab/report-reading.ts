/**
 * The report's reading: plain-language sentences generated from the numbers. A physics run's
 * sentences use the intervals the expectations use (lab/claims.ts: over seeds, paired by seed): a
 * change is a rise or a fall only when the 95% interval of the change clears zero, one lineage is
 * ahead of another only when the interval of their difference does. A calibration run's lineages
 * share no seeds' evaluation, so there a change is called only when the 95% intervals of the first
 * and last generation do not overlap. Pure.
 */
import type { AnyRow, MetricsRow } from './types.ts';
import { meanCI } from './stats.ts';
import { changeCI, clearlyAbove, clearlyBelow, differenceCI, hasInterval, valueCI } from './claims.ts';
import { describeChange, formatCI, formatNumber, overlaps, summarizeLineages, type Format, type LineageSummary, type ManifestLike, type MetricSummary } from './report-summary.ts';

function metric(s: LineageSummary, key: string): MetricSummary | undefined {
  return s.metrics.find((m) => m.key === key && (m.first.n > 0 || m.last.n > 0));
}

const pctOrDash = (x: number) => (Number.isFinite(x) ? formatNumber(x, 'percent') : '–');

/**
 * "rose from X to Y" / "fell from X to Y" when the change of a lineage's metric from its first to
 * its last generation, paired by seed, clears zero by its 95% interval; otherwise says it does not.
 */
export function describePairedChange(rows: readonly MetricsRow[], s: LineageSummary, m: MetricSummary, label: string, format: Format = 'number'): string {
  const a = formatNumber(m.first.mean, format);
  const b = formatNumber(m.last.mean, format);
  const ch = changeCI(rows, s.lineage, m.key, s.firstGeneration, s.lastGeneration);
  if (clearlyAbove(ch)) return `${label} rose from ${a} to ${b}`;
  if (clearlyBelow(ch)) return `${label} fell from ${a} to ${b}`;
  if (!hasInterval(ch)) return `${label} went from ${a} to ${b} (one seed, so no confidence interval)`;
  return `${label} went from ${a} to ${b} (no clear change: the 95% interval of the change, paired by seed, includes zero)`;
}

/**
 * Generation 0's world model against reality (its outcome accuracy on held-out real play vs the
 * majority-class rate), and grounded vs recursive at the last generation, paired by seed.
 */
function worldModelReading(rows: readonly MetricsRow[]): string[] {
  const out: string[] = [];
  const lineages = [...new Set(rows.map((r) => r.lineage))];
  if (lineages.length === 0) return out;
  const l0 = lineages[0];
  const acc = valueCI(rows, l0, 'worldOutcomeAccuracy', 0);
  const base = valueCI(rows, l0, 'worldOutcomeBaseline', 0);
  if (acc.n > 0 && base.n > 0) {
    const lift = valueCI(rows, l0, 'worldOutcomeAccuracy', 0, 'worldOutcomeBaseline');
    const rec = [0, 1, 2].map((k) => meanCI(rows.filter((r) => r.generation === 0 && r.lineage === l0 && r.worldOutcomeRecall).map((r) => r.worldOutcomeRecall![k])).mean);
    const verdict = clearlyAbove(lift)
      ? 'clearly above'
      : clearlyBelow(lift)
        ? 'clearly below'
        : lift.n < 2
          ? 'compared with'
          : 'not clearly different from';
    out.push(
      `Generation 0's world model predicts the outcome of held-out real moves right ${pctOrDash(acc.mean)} of the time, ${verdict} always answering the commonest outcome (${pctOrDash(base.mean)}); recall: the game goes on ${pctOrDash(rec[0])}, player 0 wins ${pctOrDash(rec[1])}, player 1 wins ${pctOrDash(rec[2])}.`,
    );
  }
  const last = rows.reduce((m, r) => Math.max(m, r.generation), 0);
  if (lineages.includes('grounded') && lineages.includes('recursive') && last > 0) {
    const win = differenceCI(rows, 'winRate', 'grounded', 'recursive', last);
    if (win.n > 0) {
      const d = `${formatNumber(Math.abs(win.mean) * 100, 'number')} points, 95% interval ${formatNumber(win.lo * 100, 'number')} to ${formatNumber(win.hi * 100, 'number')}`;
      out.push(
        clearlyAbove(win)
          ? `At generation ${last}, **grounded** really wins more often than **recursive** (by ${d}, paired by seed).`
          : clearlyBelow(win)
            ? `At generation ${last}, **recursive** really wins more often than **grounded** (by ${d}, paired by seed).`
            : `At generation ${last}, these seeds cannot separate the real win rates of **grounded** and **recursive** (difference ${d}).`,
      );
    }
    const wn = differenceCI(rows, 'worldNll', 'recursive', 'grounded', last);
    if (wn.n > 0) {
      out.push(
        clearlyAbove(wn)
          ? `At generation ${last}, recursive's world model is more surprised by real play than grounded's (NLL higher by ${formatNumber(wn.mean)}, 95% interval ${formatNumber(wn.lo)} to ${formatNumber(wn.hi)}): recursion has eroded its picture of reality.`
          : `At generation ${last}, these seeds do not separate the two world models' NLL of real play (recursive − grounded: ${formatNumber(wn.mean)}, 95% interval ${formatNumber(wn.lo)} to ${formatNumber(wn.hi)}).`,
      );
    }
  }
  return out;
}

function generationReading(summaries: LineageSummary[], rows: readonly MetricsRow[]): string[] {
  const out: string[] = [];
  for (const s of summaries) {
    const parts: string[] = [];
    const win = metric(s, 'winRate');
    if (win) parts.push(describePairedChange(rows, s, win, 'real win rate', 'percent'));
    const bel = metric(s, 'believedWinRate');
    if (bel && bel.last.n > 0) {
      parts.push(describePairedChange(rows, s, bel, 'believed win rate', 'percent'));
      if (win && win.last.n > 0) {
        const b = formatNumber(bel.last.mean, 'percent');
        const r = formatNumber(win.last.mean, 'percent');
        // believed − real is the row's selfDeception: paired by seed (one seed: its panel games' standard error)
        const dec = valueCI(rows, s.lineage, 'selfDeception', s.lastGeneration);
        if (clearlyAbove(dec) || clearlyBelow(dec)) {
          const gap = Math.abs(bel.last.mean - win.last.mean) * 100;
          parts.push(
            `at generation ${s.lastGeneration} it believes it wins ${b} of its games but really wins ${r}: it ${
              clearlyAbove(dec) ? 'overrates' : 'underrates'
            } itself by ${gap.toFixed(0)} percentage points`,
          );
        } else {
          parts.push(`at generation ${s.lastGeneration} its believed (${b}) and real (${r}) win rates cannot be told apart`);
        }
      }
    }
    const wnll = metric(s, 'worldNll');
    if (wnll && wnll.last.n > 0) parts.push(describePairedChange(rows, s, wnll, "its world model's NLL of held-out real play"));
    // the policy's distance from the real data's play: narrowing is specialisation when skill rises, collapse when it does not
    const dist: string[] = [];
    const tail = metric(s, 'tailShare');
    if (tail && tail.last.n > 0) {
      const ref = tail.reference ? ` (D0: ${formatNumber(tail.reference.value, 'percent')})` : '';
      dist.push(`${describePairedChange(rows, s, tail, 'rare-style play', 'percent')}${ref}`);
    }
    const std = metric(s, 'actionStd');
    if (std) dist.push(describePairedChange(rows, s, std, 'action spread (std)'));
    const nll = metric(s, 'realNll');
    if (nll) dist.push(describePairedChange(rows, s, nll, 'NLL of real actions'));
    if (dist.length > 0) parts.push(`distance of its play from the real data's: ${dist.join(', ')}`);
    if (parts.length > 0) out.push(`**${s.lineage}** (generation ${s.firstGeneration} → ${s.lastGeneration}, ${s.seeds} seed${s.seeds === 1 ? '' : 's'}): ${parts.join('; ')}.`);
  }
  out.push(...worldModelReading(rows));
  // Who ends up strongest in reality?
  const finals = summaries
    .map((s) => ({ s, m: metric(s, 'winRate') }))
    .filter((x): x is { s: LineageSummary; m: MetricSummary } => !!x.m && x.m.last.n > 0);
  if (finals.length >= 2) {
    finals.sort((a, b) => b.m.last.mean - a.m.last.mean);
    const best = finals[0];
    const rest = finals.slice(1);
    // ahead of another lineage only when their difference, paired by seed, clears zero
    const last = best.s.lastGeneration;
    const tied = rest.filter((x) => x.s.lastGeneration !== last || !clearlyAbove(differenceCI(rows, 'winRate', best.s.lineage, x.s.lineage, last))).map((x) => x.s.lineage);
    const clear = tied.length === 0;
    out.push(
      clear
        ? `At the last generation, **${best.s.lineage}** has the highest real win rate (${formatNumber(best.m.last.mean, 'percent')}), clearly above every other lineage.`
        : `At the last generation, **${best.s.lineage}** has the highest mean real win rate (${formatNumber(best.m.last.mean, 'percent')}), but it cannot be separated from ${tied.join(', ')} with these seeds.`,
    );
  }
  return out;
}

function calibrationReading(summaries: LineageSummary[]): string[] {
  const out: string[] = [];
  const theoryNote = (m: MetricSummary): string => {
    if (m.theoryLast === undefined) return '';
    const t = formatNumber(m.theoryLast);
    if (m.last.n < 2) return ` (theory ${t})`;
    const inside = m.theoryLast >= m.last.lo && m.theoryLast <= m.last.hi;
    return ` (theory ${t}, ${inside ? 'inside' : 'outside'} the measured 95% interval)`;
  };
  for (const s of summaries) {
    const parts: string[] = [];
    const v = metric(s, 'variance');
    const g = metric(s, 'geoVariance');
    const sup = metric(s, 'support');
    const d = metric(s, 'distance');
    if (v) parts.push(`mean fitted variance ${formatCI(v.last)}${theoryNote(v)}`);
    if (g) parts.push(`geometric mean ${formatCI(g.last)}${theoryNote(g)}`);
    if (sup) parts.push(`${describeChange('support', sup.first, sup.last)}${theoryNote(sup)}`);
    if (d) parts.push(`${s.lineage.startsWith('categorical') ? 'total variation' : 'W1 distance'} to the original ${formatCI(d.last)}`);
    if (parts.length > 0) out.push(`**${s.lineage}** after ${s.lastGeneration} generations (${s.seeds} seed${s.seeds === 1 ? '' : 's'}): ${parts.join('; ')}.`);
  }
  // replace vs accumulate, same family and M
  const byKey = new Map<string, { replace?: LineageSummary; accumulate?: LineageSummary }>();
  for (const s of summaries) {
    const m = /^(.*)\/(replace|accumulate)\/(M=\d+)$/.exec(s.lineage);
    if (!m) continue;
    const key = `${m[1]}/${m[3]}`;
    const e = byKey.get(key) ?? {};
    e[m[2] as 'replace' | 'accumulate'] = s;
    byKey.set(key, e);
  }
  for (const [key, e] of byKey) {
    if (!e.replace || !e.accumulate) continue;
    const mk = key.startsWith('categorical') ? 'support' : 'geoVariance';
    const r = metric(e.replace, mk);
    const a = metric(e.accumulate, mk);
    if (!r || !a || r.last.n === 0 || a.last.n === 0) continue;
    const what = mk === 'support' ? 'support' : 'geometric-mean variance';
    const apart = r.last.n >= 2 && a.last.n >= 2 && !overlaps(r.last, a.last);
    const verdict = apart ? (a.last.mean > r.last.mean ? 'accumulating keeps clearly more' : 'accumulating keeps clearly less') : 'the two cannot be separated with these seeds';
    out.push(`${key}: final ${what} ${formatNumber(a.last.mean)} with accumulate vs ${formatNumber(r.last.mean)} with replace; ${verdict}.`);
  }
  return out;
}

/** Plain-language sentences (Markdown bold for lineage names) generated from the numbers. */
export function readingSentences(manifest: ManifestLike, rows: readonly AnyRow[]): string[] {
  const summaries = summarizeLineages(manifest, rows);
  const gen = new Set(rows.filter((r) => r.kind === 'generation').map((r) => r.lineage));
  return [
    ...generationReading(
      summaries.filter((s) => gen.has(s.lineage)),
      rows.filter((r): r is MetricsRow => r.kind === 'generation'),
    ),
    ...calibrationReading(summaries.filter((s) => !gen.has(s.lineage))),
  ];
}
