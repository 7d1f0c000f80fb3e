/**
 * "Export replay (GIF / WebM)": each arena gets a button that saves the game it shows first for
 * the selected generation — the same game `driftlab replay` renders — as an animated GIF or a
 * WebM video, rendered frame by frame from the pure SVG frames of lab/replay-frames.ts (no screen
 * capture, no clock: the same run and choice give the same file). Reality or the world model's
 * dream of the same game.
 *
 * Frames are rasterised by the browser (an SVG image drawn on a canvas); the GIF is encoded by
 * gifenc, the WebM from lossy WebP keyframes (canvas.toBlob) muxed by lab/replay-video.ts.
 */
import { ARENA_EPISODE_SEED, replayFrames, type ReplayEpisode, type ReplayMode } from '../lab/replay-frames.ts';
import { encodeGif, muxWebm, vp8FromWebp, type RgbaFrame } from '../lab/replay-video.ts';
import type { ScenarioId } from '../sim/types.ts';
import type { ArenaClient } from './arena-client.ts';
import { saveFile } from './bridge.ts';
import { checkpointPath } from './run-files.ts';
import { unpackFrame } from './scene-pack.ts';

export interface ReplaySelection {
  /** the run's name (for the file name) */
  name: string;
  scenario: ScenarioId;
  params: Record<string, number>;
  /** the experiment seed whose checkpoints the arenas show */
  seed: number;
  generation: number;
}

export interface ReplayExportHost {
  client: ArenaClient;
  /** the arenas' container (figure.arena[data-lineage] children, made by deck.ts) */
  container: HTMLElement;
  /** what the arenas show now; null before a generation has finished */
  selection: () => ReplaySelection | null;
  fileText: (path: string) => string | undefined;
  notice: (text: string, error?: boolean) => void;
}

type Format = 'gif' | 'webm';

const CSS = `
.replay-export { flex: none; font: inherit; font-size: 12px; font-weight: 500; padding: 2px 8px; border-radius: 6px; border: 1px solid var(--line, #2c3446); background: transparent; color: var(--text, #e6e9ef); cursor: pointer; }
.replay-export:hover, .replay-export:focus-visible { border-color: var(--accent, #4ea8ff); }
body.presenter .replay-export { display: none; }
#replay-dialog { max-width: min(460px, 92vw); border: 1px solid var(--line, #2c3446); border-radius: 10px; background: var(--panel, #151a23); color: var(--text, #e6e9ef); padding: 16px 18px; }
#replay-dialog::backdrop { background: rgb(0 0 0 / 55%); }
#replay-dialog h2 { margin: 0 0 6px; font-size: 18px; }
#replay-dialog p { margin: 0 0 10px; color: var(--muted, #aab3c5); font-size: 14px; }
#replay-dialog fieldset { border: 1px solid var(--line, #2c3446); border-radius: 8px; margin: 0 0 10px; padding: 6px 10px; display: flex; gap: 14px; flex-wrap: wrap; }
#replay-dialog legend { font-size: 13px; color: var(--muted, #aab3c5); padding: 0 4px; }
#replay-dialog .buttons { display: flex; gap: 8px; justify-content: flex-end; align-items: center; }
#replay-dialog output { flex: 1; font-size: 13px; color: var(--muted, #aab3c5); font-variant-numeric: tabular-nums; }
`;

/** Add the export button to every arena (now and whenever the deck makes a new one). */
export function installReplayExport(host: ReplayExportHost): void {
  const style = document.createElement('style');
  style.textContent = CSS;
  document.head.appendChild(style);
  const dialog = makeDialog(host);
  const addButtons = () => {
    for (const fig of host.container.querySelectorAll<HTMLElement>('figure.arena[data-lineage]')) {
      const cap = fig.querySelector('figcaption');
      if (!cap || cap.querySelector('.replay-export')) continue;
      const lineage = fig.dataset.lineage!;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'replay-export';
      b.textContent = '⤓ Replay';
      b.title = `Export replay (GIF / WebM) of ${lineage}`;
      b.setAttribute('aria-label', `Replay: export ${lineage}'s game as GIF or WebM`);
      b.addEventListener('click', () => dialog.open(lineage));
      cap.appendChild(b);
    }
  };
  new MutationObserver(addButtons).observe(host.container, { childList: true, subtree: true });
  addButtons();
}

function radio(name: string, value: string, label: string, checked: boolean): HTMLLabelElement {
  const l = document.createElement('label');
  const i = document.createElement('input');
  i.type = 'radio';
  i.name = name;
  i.value = value;
  i.checked = checked;
  l.append(i, ` ${label}`);
  return l;
}

function makeDialog(host: ReplayExportHost): { open: (lineage: string) => void } {
  const d = document.createElement('dialog');
  d.id = 'replay-dialog';
  d.setAttribute('aria-labelledby', 'replay-dialog-title');
  const h = document.createElement('h2');
  h.id = 'replay-dialog-title';
  h.textContent = 'Export replay';
  const what = document.createElement('p');
  const format = document.createElement('fieldset');
  const fl = document.createElement('legend');
  fl.textContent = 'Format';
  format.append(fl, radio('replay-format', 'gif', 'GIF (animated image)', true), radio('replay-format', 'webm', 'WebM (video)', false));
  const show = document.createElement('fieldset');
  const sl = document.createElement('legend');
  sl.textContent = 'Show';
  show.append(sl, radio('replay-mode', 'real', 'Reality (physics)', true), radio('replay-mode', 'dream', 'Dream (world model)', false));
  const status = document.createElement('output');
  status.setAttribute('role', 'status');
  const go = document.createElement('button');
  go.type = 'button';
  go.textContent = 'Export';
  go.id = 'replay-export-go';
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Close';
  const buttons = document.createElement('div');
  buttons.className = 'buttons';
  buttons.append(status, go, close);
  d.append(h, what, format, show, buttons);
  document.body.appendChild(d);

  let lineage = '';
  let busy = false;
  close.addEventListener('click', () => d.close());
  d.addEventListener('cancel', (e) => {
    if (busy) e.preventDefault();
  });
  go.addEventListener('click', async () => {
    const sel = host.selection();
    if (!sel || busy) return;
    const fmt = (d.querySelector<HTMLInputElement>('input[name=replay-format]:checked')?.value ?? 'gif') as Format;
    const mode = (d.querySelector<HTMLInputElement>('input[name=replay-mode]:checked')?.value ?? 'real') as ReplayMode;
    busy = true;
    go.disabled = close.disabled = true;
    try {
      const bytes = await renderReplay(host, sel, lineage, mode, fmt, (text) => (status.value = text));
      const file = `${sel.name}-${lineage}-g${sel.generation}-s${sel.seed}${mode === 'dream' ? '-dream' : ''}.${fmt}`;
      status.value = `saving ${file}…`;
      const saved = await saveFile(file, fmt, bytes);
      status.value = saved ? `saved ${file} (${Math.round(bytes.length / 1024)} kB)` : 'not saved';
      document.body.dataset.replayExported = saved ? `${file}:${bytes.length}` : '';
    } catch (e) {
      status.value = 'the replay could not be made';
      host.notice(`Export replay: ${e instanceof Error ? e.message : String(e)}`, true);
    } finally {
      busy = false;
      go.disabled = close.disabled = false;
    }
  });

  return {
    open(l: string) {
      const sel = host.selection();
      if (!sel) {
        host.notice('Export replay: no generation has finished yet — run the lab first.');
        return;
      }
      lineage = l;
      what.textContent = `${l} · generation ${sel.generation} · seed ${sel.seed}: the first game its arena plays (against itself), drawn frame by frame — real flights solid, the world model's dream dashed violet.`;
      status.value = '';
      d.showModal();
    },
  };
}

const nextFrame = () => new Promise<void>((r) => setTimeout(r, 0));

/** The replay's bytes: the game from the arena worker, frames from lab/replay-frames.ts, encoded here. */
async function renderReplay(host: ReplayExportHost, sel: ReplaySelection, lineage: string, mode: ReplayMode, fmt: Format, progress: (text: string) => void): Promise<Uint8Array> {
  progress('playing the game…');
  const key = checkpointPath(sel.seed, lineage, sel.generation);
  if (!host.client.hasModel(key)) {
    const text = host.fileText(key);
    if (text === undefined) throw new Error(`${key} is not in this run`);
    host.client.model(key, text);
  }
  // the deck's first episode of this generation (renderer/deck.ts), as `driftlab replay` plays it
  const r = await host.client.showcase({ scenario: sel.scenario, params: sel.params, model: key, opponent: { kind: 'model', key }, seed: ARENA_EPISODE_SEED, rngLabels: [lineage, sel.generation, 0] });
  const p = r.packed;
  const ep: ReplayEpisode = {
    title: `${lineage} · generation ${sel.generation} · seed ${sel.seed}`,
    episode: r.episode,
    start: unpackFrame(p, p.start),
    frames: p.frames.map((step) => step.map((f) => unpackFrame(p, f))),
    dreamStart: r.dreamStart,
    dream: r.dream,
    dreamOutcome: r.dreamOutcome,
  };
  // `?quick=1` (the end-to-end tests, demos on slow machines) keeps replays short too
  const quick = new URLSearchParams(location.search).get('quick') === '1';
  const { width, height, frames } = replayFrames(ep, { mode, maxFrames: quick ? 24 : undefined });
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas');
  const rgba: RgbaFrame[] = [];
  // WebP encodes run off the main thread (toBlob copies the canvas when called): a few at a time
  const webps: Promise<Uint8Array>[] = [];
  const IN_FLIGHT = 4;
  for (let i = 0; i < frames.length; i++) {
    progress(`frame ${i + 1} of ${frames.length}`);
    await drawSvg(ctx, frames[i].svg, width, height);
    if (fmt === 'gif') rgba.push({ rgba: ctx.getImageData(0, 0, width, height).data, durationMs: frames[i].durationMs });
    else {
      webps.push(webpOf(canvas));
      if (i >= IN_FLIGHT) await webps[i - IN_FLIGHT];
    }
    await nextFrame();
  }
  progress('encoding…');
  await nextFrame();
  if (fmt === 'gif') return encodeGif(width, height, rgba);
  const vp8 = await Promise.all(webps.map(async (w, i) => ({ vp8: vp8FromWebp(await w), durationMs: frames[i].durationMs })));
  return muxWebm(width, height, vp8);
}

async function drawSvg(ctx: CanvasRenderingContext2D, svg: string, width: number, height: number): Promise<void> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image(width, height);
    img.src = url;
    await img.decode();
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(img, 0, 0, width, height);
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function webpOf(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/webp', 0.9));
  if (!blob || blob.type !== 'image/webp') throw new Error('this browser cannot encode WebP images (WebM export needs it); export a GIF instead');
  return new Uint8Array(await blob.arrayBuffer());
}
