/**
 * The page's pool of seed workers (renderer/lab-pool.ts). In-process workers run the lab worker's
 * own code (renderer/lab-worker-core.ts) on a tiny three-seed experiment: the page's metrics.jsonl
 * is byte-identical to one thread running the seeds in turn, with two workers, after a stop and a
 * Continue, and rows already received stay when a worker fails. Recording fakes check that Pause,
 * Stop and Continue reach every live worker and that a human game reaches every seed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { parseExperiment } from '../lab/config.ts';
import { MemoryStorage, type HumanGame } from '../lab/host.ts';
import { runExperiment } from '../lab/run.ts';
import type { LabClientState, LabCommand, LabFileEvent, LabMessage, LabRunRequest, WorkerLike } from '../renderer/lab-client.ts';
import { PoolLabClient, poolSize } from '../renderer/lab-pool.ts';
import { labWorkerCore } from '../renderer/lab-worker-core.ts';
import { withRowInSeedOrder } from '../renderer/store.ts';
import type { MetricsRow } from '../lab/types.ts';

const config = {
  name: 'pool',
  scenario: 'duel',
  seeds: [3, 4, 5],
  generations: 2,
  d0: { episodes: 16 },
  model: { hidden: [8], components: 1, worldHidden: [8] },
  training: { epochs: 1, batchSize: 64 },
  evaluation: { panelGames: 2, roundRobinGames: 1, selfPlayEpisodes: 2 },
  lineages: [
    { name: 'grounded', recipe: 'grounded', episodes: 4 },
    { name: 'recursive', recipe: 'recursive', episodes: 4 },
  ],
};
const ROWS = 3 * 3 * 2;

const later = (f: () => void) => setImmediate(f);

/** A worker running the lab worker's code in this process; messages cross asynchronously, in order. */
class InProcessWorker implements WorkerLike {
  sent: LabCommand[] = [];
  terminated = false;
  private readonly listeners: ((e: MessageEvent<LabMessage>) => void)[] = [];
  private readonly handle: (cmd: LabCommand) => void;
  constructor(private readonly intercept?: (m: LabMessage, self: InProcessWorker) => LabMessage | null) {
    this.handle = labWorkerCore(
      (m) => later(() => this.deliver(m)),
      async () => 'wasm',
    );
  }
  postMessage(m: LabCommand): void {
    this.sent.push(m);
    later(() => !this.terminated && this.handle(m));
  }
  addEventListener(type: 'message' | 'error', listener: ((e: MessageEvent<LabMessage>) => void) | ((e: ErrorEvent) => void)): void {
    if (type === 'message') this.listeners.push(listener as (e: MessageEvent<LabMessage>) => void);
  }
  terminate(): void {
    this.terminated = true;
  }
  private deliver(m: LabMessage): void {
    if (this.terminated) return;
    const out = this.intercept ? this.intercept(m, this) : m;
    if (out) this.listeners.forEach((l) => l({ data: out } as MessageEvent<LabMessage>));
  }
}

/** The page's side: the files the pool hands it, as run-control.ts keeps them. */
function follow(pool: PoolLabClient) {
  const files = new Map<string, string>();
  const states: LabClientState[] = [];
  let error: string | undefined;
  pool.onFile((f: LabFileEvent) => files.set(f.path, f.type === 'file' ? f.data : (files.get(f.path) ?? '') + f.line + '\n'));
  pool.onState((s, e) => {
    states.push(s);
    if (e) error = e;
  });
  const until = (want: LabClientState[]) =>
    new Promise<LabClientState>((resolve) => {
      const off = pool.onState((s) => {
        if (want.includes(s)) {
          off();
          resolve(s);
        }
      });
    });
  return { files, states, until, error: () => error };
}

const request = (over: Partial<LabRunRequest> = {}): LabRunRequest => ({ preset: 'pool', config, manifest: { name: 'pool' }, wasmBase: 'http://x/', ...over });
const lines = (text: string | undefined) => (text ?? '').split('\n').filter((l) => l.trim());
/** A row without its Elo (provisional until its seed's last generation, final after it). */
const withoutElo = (line: string) => {
  const { elo: _e, eloLow: _l, eloHigh: _h, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return JSON.stringify(rest);
};
/** `line` is a row of the uninterrupted run (its Elo aside). */
const inReference = (line: string) => lines(reference).map(withoutElo).includes(withoutElo(line));

let reference = '';

beforeAll(async () => {
  await initTf('wasm');
  const storage = new MemoryStorage();
  await runExperiment(parseExperiment(config), { storage, emit: () => {} });
  reference = (await storage.read('metrics.jsonl'))!;
  expect(lines(reference)).toHaveLength(ROWS);
}, 120_000);

describe('PoolLabClient', () => {
  it('takes the CLI rule for its size: cores + 1, at most 8', () => {
    expect(poolSize(2)).toBe(3);
    expect(poolSize(1)).toBe(2);
    expect(poolSize(7)).toBe(8);
    expect(poolSize(64)).toBe(8);
    expect(poolSize(undefined)).toBe(2);
    expect(poolSize(0)).toBe(2);
  });

  it('runs three seeds on two workers side by side into the same metrics.jsonl one thread writes', async () => {
    const workers: InProcessWorker[] = [];
    const pool = new PoolLabClient(() => {
      const w = new InProcessWorker();
      workers.push(w);
      return w;
    }, 2);
    const page = follow(pool);
    const rowSeeds: number[] = [];
    pool.onEvent((e) => e.type === 'row' && !e.final && rowSeeds.push((e.row as { seed: number }).seed));
    pool.start(request());
    expect(await page.until(['done', 'failed'])).toBe('done');
    expect(workers).toHaveLength(2);
    // the two workers really overlapped: a later seed's row came before an earlier seed's last one
    const firstOf4 = rowSeeds.indexOf(4);
    const lastOf3 = rowSeeds.lastIndexOf(3);
    expect(firstOf4).toBeLessThan(lastOf3);
    expect(page.files.get('metrics.jsonl')).toBe(reference);
    expect(JSON.parse(page.files.get('manifest.json')!)).toEqual({ name: 'pool' });
    // the parts stay inside the pool; every seed's own files reached the page
    expect([...page.files.keys()].filter((p) => p.startsWith('parts/'))).toEqual([]);
    for (const seed of config.seeds) expect(page.files.has(`state/s${seed}.json`)).toBe(true);
    // each worker ran with its seed, not the whole run
    const starts = workers.flatMap((w) => w.sent.filter((m) => m.type === 'start').map((m) => (m as { request: LabRunRequest }).request.seed));
    expect(starts.sort()).toEqual([3, 4, 5]);
  }, 180_000);

  it('runs as many seeds at once as the CLI would threads: four seeds on two cores take two workers, not the pool’s three', async () => {
    const workers: InProcessWorker[] = [];
    const pool = new PoolLabClient(() => {
      const w = new InProcessWorker();
      workers.push(w);
      return w;
    }, poolSize(2), 2);
    const page = follow(pool);
    pool.start(request({ config: { ...config, seeds: [3, 4, 5, 6], generations: 1 } }));
    expect(await page.until(['done', 'failed'])).toBe('done');
    expect(workers).toHaveLength(2);
    const starts = workers.flatMap((w) => w.sent.filter((m) => m.type === 'start').map((m) => (m as { request: LabRunRequest }).request.seed));
    expect(starts.sort()).toEqual([3, 4, 5, 6]);
  }, 180_000);

  it('after a stop mid-run, Continue finishes it byte-identically', async () => {
    const pool = new PoolLabClient(() => new InProcessWorker(), 3);
    const page = follow(pool);
    let rows = 0;
    pool.onEvent((e) => {
      if (e.type === 'row' && ++rows === 5) pool.stop();
    });
    pool.start(request());
    expect(await page.until(['idle', 'done', 'failed'])).toBe('idle');
    const partial = lines(page.files.get('metrics.jsonl'));
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(ROWS);
    // the rows kept are rows of the finished run (their Elo still provisional)
    for (const l of partial) expect(inReference(l)).toBe(true);

    pool.start(request({ resume: true }));
    expect(await page.until(['done', 'failed'])).toBe('done');
    expect(page.files.get('metrics.jsonl')).toBe(reference);
  }, 240_000);

  it('continues an opened run (its files handed over) on a fresh pool', async () => {
    const first = new PoolLabClient(() => new InProcessWorker(), 2);
    const page = follow(first);
    let rows = 0;
    first.onEvent((e) => {
      if (e.type === 'row' && ++rows === 7) first.stop();
    });
    first.start(request());
    expect(await page.until(['idle', 'done'])).toBe('idle');
    first.dispose();

    const second = new PoolLabClient(() => new InProcessWorker(), 3);
    const page2 = follow(second);
    second.loadFiles(Object.fromEntries(page.files));
    second.start(request({ resume: true }));
    expect(await page2.until(['done', 'failed'])).toBe('done');
    expect(page2.files.get('metrics.jsonl')).toBe(reference);
  }, 240_000);

  it('keeps the rows already received when a worker fails, and ends the others', async () => {
    let made = 0;
    const pool = new PoolLabClient(() => {
      made++;
      // the second worker fails once it has written a row of generation 1
      if (made !== 2) return new InProcessWorker();
      return new InProcessWorker((m, self) => {
        if (m.type === 'append' && m.path.startsWith('parts/') && (JSON.parse(m.line) as { generation: number }).generation === 1) {
          self.terminate();
          return { type: 'error', message: 'out of memory' };
        }
        return m;
      });
    }, 2);
    const page = follow(pool);
    pool.start(request());
    expect(await page.until(['done', 'failed', 'idle'])).toBe('failed');
    expect(page.error()).toBe('seed 4: out of memory');
    await new Promise((r) => setTimeout(r, 200));
    await pool.settled();
    const kept = lines(page.files.get('metrics.jsonl'));
    // seed 3's rows so far (at least generation 0) and seed 4's generation 0 are there
    expect(kept.some((l) => (JSON.parse(l) as { seed: number }).seed === 4)).toBe(true);
    expect(kept.some((l) => (JSON.parse(l) as { seed: number }).seed === 3)).toBe(true);
    for (const l of kept) expect(inReference(l)).toBe(true);
    // seed 5 never started
    expect(kept.some((l) => (JSON.parse(l) as { seed: number }).seed === 5)).toBe(false);
    expect(pool.state).toBe('failed');
    // the other worker was ended; the pool is free for the next run
    expect(pool.workerCount).toBe(1);
  }, 180_000);
});

/** A worker that only records what it is sent. */
class RecordingWorker implements WorkerLike {
  sent: LabCommand[] = [];
  private readonly listeners: ((e: MessageEvent<LabMessage>) => void)[] = [];
  postMessage(m: LabCommand): void {
    this.sent.push(m);
  }
  addEventListener(type: 'message' | 'error', listener: ((e: MessageEvent<LabMessage>) => void) | ((e: ErrorEvent) => void)): void {
    if (type === 'message') this.listeners.push(listener as (e: MessageEvent<LabMessage>) => void);
  }
  terminate(): void {}
  reply(m: LabMessage): void {
    this.listeners.forEach((l) => l({ data: m } as MessageEvent<LabMessage>));
  }
}

describe('PoolLabClient commands', () => {
  const game = (id: number): HumanGame => ({ ep: { id } as unknown as HumanGame['ep'], players: ['human', 'g0'] });

  it('Pause, Stop and Continue reach every live worker; a human game reaches every seed', async () => {
    const workers: RecordingWorker[] = [];
    const pool = new PoolLabClient(() => {
      const w = new RecordingWorker();
      workers.push(w);
      return w;
    }, 2);
    const notices: LabMessage[] = [];
    pool.onNotice((m) => notices.push(m));
    pool.start(request());
    await pool.settled();
    expect(workers).toHaveLength(2);
    const types = (w: RecordingWorker) => w.sent.map((m) => m.type);
    pool.addHumanGame('grounded', game(1));
    pool.pause();
    pool.resume();
    for (const w of workers) expect(types(w)).toEqual(['start', 'human-game', 'pause', 'resume']);

    // seed 3 finishes while paused: seed 5 waits for Continue, then starts with the game
    pool.pause();
    workers[0].reply({ type: 'event', event: { type: 'done', rows: 6 } });
    await pool.settled();
    expect(types(workers[0])).toEqual(['start', 'human-game', 'pause', 'resume', 'pause']);
    pool.resume();
    await pool.settled();
    const last = workers[0].sent.at(-1) as { type: 'start'; request: LabRunRequest };
    expect(last.type).toBe('start');
    expect(last.request.seed).toBe(5);
    expect(last.request.humanGames).toEqual([{ lineage: 'grounded', game: game(1) }]);
    expect(types(workers[1])).toEqual(['start', 'human-game', 'pause', 'resume', 'pause', 'resume']);

    // each seed reports using the game; the page hears of it once
    workers[1].reply({ type: 'human-used', lineage: 'grounded', generation: 1, count: 1 });
    workers[0].reply({ type: 'human-used', lineage: 'grounded', generation: 2, count: 1 });
    await pool.settled();
    expect(notices).toEqual([{ type: 'human-used', lineage: 'grounded', generation: 1, count: 1 }]);

    pool.stop();
    expect(pool.state).toBe('stopping');
    for (const w of workers) expect(types(w).at(-1)).toBe('stop');
    workers[0].reply({ type: 'stopped' });
    await pool.settled();
    expect(pool.state).toBe('stopping');
    workers[1].reply({ type: 'stopped' });
    await pool.settled();
    expect(pool.state).toBe('idle');

    // Continue: every seed resumes with its own files
    pool.start(request({ resume: true }));
    await pool.settled();
    for (const w of workers) {
      const [load, start] = w.sent.slice(-2) as [Extract<LabCommand, { type: 'load-files' }>, Extract<LabCommand, { type: 'start' }>];
      expect(load.type).toBe('load-files');
      expect(start.request.resume).toBe(true);
      const seed = start.request.seed!;
      expect(Object.keys(load.files)).toContain(`parts/metrics-s${seed}.jsonl`);
    }
  });
});

describe('PoolLabClient human games between runs', () => {
  it('a game given while no run is going waits for the next run; a game a seed used is not given again', async () => {
    const workers: RecordingWorker[] = [];
    const pool = new PoolLabClient(() => {
      const w = new RecordingWorker();
      workers.push(w);
      return w;
    }, 1);
    const game = (id: number): HumanGame => ({ ep: { id } as unknown as HumanGame['ep'], players: ['human', 'g0'] });
    const lastStart = () => (workers[0].sent.filter((m) => m.type === 'start').at(-1) as Extract<LabCommand, { type: 'start' }>).request;
    const one = { ...config, seeds: [3] };
    pool.addHumanGame('recursive', game(1));
    pool.start(request({ config: one }));
    await pool.settled();
    expect(lastStart().humanGames).toEqual([{ lineage: 'recursive', game: game(1) }]);
    workers[0].reply({ type: 'human-used', lineage: 'recursive', generation: 1, count: 1 });
    pool.addHumanGame('recursive', game(2));
    pool.addHumanGame('grounded', game(3));
    workers[0].reply({ type: 'event', event: { type: 'done', rows: 6 } });
    await pool.settled();
    expect(pool.state).toBe('done');
    pool.start(request({ config: one, resume: true }));
    await pool.settled();
    expect(lastStart().humanGames).toEqual([
      { lineage: 'recursive', game: game(2) },
      { lineage: 'grounded', game: game(3) },
    ]);
  });
});

describe('the page keeps rows in seed order', () => {
  it('a row arriving from a later seed goes after, from an earlier seed before, the others', () => {
    const r = (seed: number, generation: number) => ({ seed, generation }) as MetricsRow;
    const seeds = [7, 2, 9];
    let rows: MetricsRow[] = [];
    for (const row of [r(2, 0), r(7, 0), r(9, 0), r(2, 1), r(7, 1), r(9, 1)]) rows = withRowInSeedOrder(rows, row, seeds);
    expect(rows.map((x) => `${x.seed}:${x.generation}`)).toEqual(['7:0', '7:1', '2:0', '2:1', '9:0', '9:1']);
  });
});
