import type { LabEvent } from '../lab/host.ts';
import type { CheckResult } from '../lab/checks.ts';
import { progressUnits } from '../lab/experiment.ts';

/**
 * Progress output: a redrawn bar on a TTY, plain lines when CI=true or piped, NDJSON events
 * with --json (one JSON object per line on stdout).
 */
export class ProgressPrinter {
  /** progress units: every phase of every lineage × generation × seed (and generation 0's) */
  private total = 0;
  private unitsSeen = 0;
  private lastPhase = '';
  constructor(
    private readonly mode: 'tty' | 'plain' | 'json',
    private readonly stream: NodeJS.WritableStream,
  ) {}

  line(text: string): void {
    if (this.mode === 'json') this.stream.write(JSON.stringify({ type: 'log', message: text }) + '\n');
    else this.stream.write((this.mode === 'tty' ? '\r\x1b[K' : '') + text + '\n');
  }

  event(e: LabEvent): void {
    if (this.mode === 'json') {
      this.stream.write(JSON.stringify(e) + '\n');
      return;
    }
    if (e.type === 'start') {
      this.total = progressUnits(e.seeds.length, e.generations, e.lineages.length);
      this.line(`${e.experiment}: ${e.scenario}, ${e.lineages.length ? `lineages ${e.lineages.join(', ')}, ` : ''}${e.generations} generations, seeds ${seedList(e.seeds)}`);
    } else if (e.type === 'row') {
      if (e.final) return; // the final Elo of a finished seed: the report shows it
      const r = e.row;
      if (r.kind === 'generation') {
        const msg = `seed ${r.seed} gen ${String(r.generation).padStart(2)} ${r.lineage.padEnd(10)} elo* ${r.elo.toFixed(0).padStart(5)}  win ${r.winRate.toFixed(2)}  believed ${r.believedWinRate?.toFixed(2) ?? ' -  '}  realNll ${r.realNll.toFixed(2)}  entropy ${r.entropy.toFixed(2)}  tail ${r.tailShare.toFixed(2)}`;
        this.line(msg);
      }
    } else if (e.type === 'progress') {
      const phase = `seed ${e.seed} gen ${e.generation} ${e.lineage}: ${e.phase}`;
      this.unitsSeen++;
      if (this.mode === 'tty') {
        const frac = this.total ? Math.min(1, (this.unitsSeen - 1) / this.total) : 0;
        const width = 30;
        const filled = Math.round(frac * width);
        this.stream.write(`\r\x1b[K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${phase}`);
      } else if (phase !== this.lastPhase && e.phase === 'train') {
        this.stream.write(`${phase}\n`);
      }
      this.lastPhase = phase;
    } else if (e.type === 'log') this.line(e.message);
    else if (e.type === 'done') this.line(`done: ${e.rows} metric rows`);
  }

  done(dir: string, checks: CheckResult[]): void {
    const met = checks.filter((c) => c.ok).length;
    if (this.mode === 'json') {
      this.stream.write(JSON.stringify({ type: 'report', dir, checks }) + '\n');
      return;
    }
    for (const c of checks) this.line(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name} — ${c.detail}`);
    this.line(`report: ${dir}/report.html  (${met}/${checks.length} expectations met)`);
  }
}

/** "1,2,3", or "1..1000 (1000 seeds)" for a long contiguous list. */
export function seedList(seeds: number[]): string {
  if (seeds.length <= 8) return seeds.join(',');
  const contiguous = seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1);
  return contiguous ? `${seeds[0]}..${seeds[seeds.length - 1]} (${seeds.length} seeds)` : `${seeds.slice(0, 4).join(',')},… (${seeds.length} seeds)`;
}
