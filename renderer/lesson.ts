/**
 * Lesson links: the whole lesson — scenario, preset, knobs, seeds, lineages, the arenas shown, the
 * dream view, the generation, and which panels and controls are hidden — in the page's URL, like
 * TensorFlow Playground. Opening the link sets all of it; the same knobs and seeds give the same
 * run. Pure: URLSearchParams in and out, no DOM.
 */
import type { ScenarioId } from '../sim/types.ts';

/** Panels and controls a teacher can hide. */
export const HIDEABLE = ['recipe', 'charts', 'play', 'files', 'presets', 'help'] as const;
export type Hideable = (typeof HIDEABLE)[number];

export interface Lesson {
  scenario?: ScenarioId;
  preset?: string;
  generations?: string;
  seeds?: string;
  episodes?: string;
  lineages?: string[];
  /** lineages shown in the arenas */
  show?: string[];
  dream?: 'overlay' | 'split' | 'off';
  /** the generation on the scrubber */
  generation?: number;
  hide: Hideable[];
  /** start the run when the page opens */
  autorun: boolean;
}

const list = (v: string | null) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

export function lessonFromParams(p: URLSearchParams): Lesson {
  const scenario = p.get('scenario');
  const dream = p.get('dream');
  const gen = p.get('gen');
  return {
    scenario: scenario === 'duel' || scenario === 'hockey' ? scenario : undefined,
    preset: p.get('preset') ?? undefined,
    generations: p.get('generations') ?? undefined,
    seeds: p.get('seeds') ?? undefined,
    episodes: p.get('episodes') ?? undefined,
    lineages: list(p.get('lineages')),
    show: list(p.get('show')),
    dream: dream === 'overlay' || dream === 'split' || dream === 'off' ? dream : undefined,
    generation: gen !== null && /^\d+$/.test(gen) ? Number(gen) : undefined,
    hide: (list(p.get('hide')) ?? []).filter((h): h is Hideable => (HIDEABLE as readonly string[]).includes(h)),
    autorun: p.get('autorun') === '1',
  };
}

/** The lesson's URL parameters; `keep` carries others through (e.g. quick=1). */
export function lessonToParams(l: Lesson, keep?: URLSearchParams): URLSearchParams {
  const p = new URLSearchParams();
  if (keep?.get('quick')) p.set('quick', keep.get('quick')!);
  const set = (k: string, v: string | undefined) => v !== undefined && v !== '' && p.set(k, v);
  set('scenario', l.scenario);
  set('preset', l.preset);
  set('generations', l.generations);
  set('seeds', l.seeds);
  set('episodes', l.episodes);
  set('lineages', l.lineages?.join(','));
  set('show', l.show?.join(','));
  set('dream', l.dream);
  set('gen', l.generation === undefined ? undefined : String(l.generation));
  set('hide', l.hide.length ? l.hide.join(',') : undefined);
  if (l.autorun) p.set('autorun', '1');
  return p;
}
