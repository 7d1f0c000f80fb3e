/**
 * lab/replay-frames.ts, exactly: a hand-built episode on a 388 × 200 scene (scale 2, the scene at
 * (12, 40) in an 800 × 484 frame) whose SVG pieces are written out by hand — layout, timeline,
 * legend, bodies, real trails and impact markers, the dream's arcs, rings and tracks, footers and
 * banners (arenaShowcase: test/replay-frames-arena-exact.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { MIN_REPLAY_FRAMES, replayFrames, type ReplayEpisode } from '../lab/replay-frames.ts';
import { formatHud } from '../lab/hud.ts';
import type { SceneBody, SceneView } from '../sim/types.ts';

const FONT = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";
const text = (x: string, y: string, s: string, size: number, fill: string, extra = '') =>
  `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" fill="${fill}"${extra}>${s}</text>`;

const poly = (id: string, role: SceneBody['role'], pts: [number, number][]): SceneBody => ({ id, role, shape: 'polygon', x: 0, y: 0, angle: 0, vertices: pts.map(([x, y]) => ({ x, y })) });
const circle = (id: string, role: SceneBody['role'], x: number, y: number, radius?: number, angle = 0): SceneBody => ({ id, role, shape: 'circle', x, y, angle, ...(radius === undefined ? {} : { radius }) });

const ground = poly('ground', 'ground', [[0, 150], [388, 150], [388, 200], [0, 200]]);
const tank0 = poly('tank0', 'player0', [[10, 140], [30, 140], [30, 150], [10, 150]]);
const paddle = circle('p0', 'paddle0', 50, 50, 5);
const hud = (shots: number, wind: number) => ({ shots, maxShots: 4, turn: shots % 2, winner: '', wind });
const scene = (bodies: SceneBody[], h: Record<string, number | string>): SceneView => ({ width: 388, height: 200, bodies, hud: h });

function episode(): ReplayEpisode {
  return {
    title: 'grounded · generation 3 · seed 1 & <x>',
    episode: {
      scenario: 'duel',
      seed: 1,
      obs: [],
      actions: [[[0], [0]], [[0], [0]]],
      active: [[true, false], [false, true]],
      events: [[], []],
      winner: 0,
      terminated: true,
      truncated: false,
    },
    start: scene([ground, tank0, paddle], hud(0, 0.5)),
    frames: [
      [scene([ground, tank0, circle('shell', 'projectile', 50, 100, 2)], hud(0, 0.5)), scene([ground, tank0, circle('shell', 'projectile', 60, 90, 2)], hud(0, 0.5))],
      [scene([ground, tank0, circle('m', 'marker', 100, 100, 1, Math.PI / 2), poly('two', 'marker', [[0, 0], [1, 1]]), poly('mk', 'marker', [[1, 1], [3, 1], [2, 2]])], hud(1, -0.25))],
    ],
    dreamStart: [{ label: 'tank0', x: 20, y: 145 }, { label: 'p0', x: 50, y: 50 }],
    dream: [
      [{ label: 'shell0', x: 100, y: 150, from: { x: 20, y: 140 } }, { label: 'p0', x: 70, y: 50 }],
      [{ label: 'shell0', x: 110, y: 150, from: { x: 20, y: 140 } }, { label: 'shell1', x: 300, y: 150, from: { x: 370, y: 140 } }, { label: 'p0', x: 90, y: 50 }],
    ],
    dreamOutcome: { step: 1, winner: 1 },
  };
}

describe('the timeline', () => {
  it('at least 24 frames sampling the physics frames evenly, the last held 2 s', () => {
    const r = replayFrames(episode(), { mode: 'real' });
    expect([r.width, r.height]).toEqual([800, 484]);
    expect(r.frames).toHaveLength(MIN_REPLAY_FRAMES);
    expect(MIN_REPLAY_FRAMES).toBe(24);
    // 3 physics frames over 23 intervals: 0.13 × 16.7 ms → at least 20 ms
    expect(r.frames.map((f) => f.durationMs)).toEqual([...Array(23).fill(20), 2000]);
    // frame i shows position round(3i/23): 0 for i ≤ 3, 1 for 4..11, 2 for 12..19, 3 after
    const shell = (i: number) => r.frames[i].svg.includes('<circle cx="112" cy="240" r="6" fill="#f5f7fa"/>');
    expect([3, 4, 11, 12].map(shell)).toEqual([false, true, true, false]);
    expect(r.frames[12].svg).toContain('<circle cx="132" cy="220" r="6" fill="#f5f7fa"/>');
    expect(r.frames[19].svg).toContain('<circle cx="132" cy="220" r="6" fill="#f5f7fa"/>');
    expect(r.frames[20].svg).not.toContain('r="6" fill="#f5f7fa"');
  });

  it('a long game: at most maxFrames (floored, at least 24), frame time from the physics rate within 20..100 ms', () => {
    const ep = episode();
    const many = Array.from({ length: 60 }, (_, i) => [scene([ground], hud(0, 0)), scene([ground], hud(i, 0))]);
    const long = { ...ep, frames: many };
    // 120 physics frames, 31 frames: 4 per interval → 66.7 ms → 70
    const a = replayFrames(long, { mode: 'real', maxFrames: 31.9 });
    expect(a.frames).toHaveLength(31);
    expect(a.frames[0].durationMs).toBe(70);
    // fewer than 24 asked: 24; 120/23 per interval → 86.96 ms → 90
    expect(replayFrames(long, { mode: 'real', maxFrames: 5 }).frames[1].durationMs).toBe(90);
    // the default: 121 frames (every position), 16.7 ms → 20
    const d = replayFrames(long, { mode: 'real' });
    expect(d.frames).toHaveLength(121);
    expect(d.frames[5].durationMs).toBe(20);
    // slow: 12 frames per interval would be 200 ms: at most 100
    const slow = { ...ep, frames: Array.from({ length: 138 }, () => [scene([ground], hud(0, 0)), scene([ground], hud(0, 0))]) };
    expect(replayFrames(slow, { mode: 'real', maxFrames: 24 }).frames[1].durationMs).toBe(100);
    expect(replayFrames(slow, { mode: 'real', maxFrames: 200 }).frames).toHaveLength(200);
  });
});

describe('a real frame', () => {
  it('the frame, the title and the legend of a duel', () => {
    const svg = replayFrames(episode(), { mode: 'real' }).frames[0].svg;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="484" viewBox="0 0 800 484"><rect width="800" height="484" fill="#151a23"/>')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain(text('12', '24', 'REALITY', 16, '#e6e9ef', ' font-weight="bold" letter-spacing="1"') + text('113.6', '24', 'grounded · generation 3 · seed 1 &amp; &lt;x&gt;', 14, '#aab3c5'));
    // legend from the right: "landed" (52.1 wide), the impact marker, "real (physics)" (141.1), two trail colours
    expect(svg).toContain(text('735.9', '22', 'landed', 14, '#e6e9ef'));
    expect(svg).toContain('<circle cx="721.9" cy="17" r="8" fill="#ffe45c"/><path d="M717.1 12.2 L726.7 21.8 M726.7 12.2 L717.1 21.8" stroke="#10131a" stroke-width="2"/>');
    expect(svg).toContain(text('556.8', '22', 'real (physics)', 14, '#e6e9ef', ' font-weight="bold"'));
    expect(svg).toContain('<path d="M532.8 17 L544.8 17" stroke="#ffb020" stroke-width="4" stroke-linecap="round"/><path d="M514.8 17 L526.8 17" stroke="#35d0ff" stroke-width="4" stroke-linecap="round"/>');
    expect(svg).toContain('<clipPath id="arena"><rect x="12" y="40" width="776" height="400"/></clipPath>');
    expect(svg).toContain('<rect x="12" y="40" width="776" height="400" fill="#1c2230" stroke="#2c3446" stroke-width="1"/>');
    // static bodies before the trails' group, the tanks (outlined) after it
    const g = '<polygon points="12,340 788,340 788,440 12,440" fill="#3d4657" fill-opacity="1"/>';
    const t = '<polygon points="32,320 72,320 72,340 32,340" fill="#4ea8ff" fill-opacity="1" stroke="#ffffff" stroke-opacity="0.35" stroke-width="1.5"/>';
    expect(svg.indexOf(g)).toBeGreaterThan(0);
    expect(svg.indexOf(g)).toBeLessThan(svg.indexOf('<g clip-path="url(#arena)">'));
    expect(svg.indexOf(t)).toBeGreaterThan(svg.indexOf('<g clip-path="url(#arena)"></g>'));
    // the start frame: the paddle (a circle of radius 10 with its heading), the HUD, no banner
    expect(svg).toContain('<circle cx="112" cy="140" r="10" fill="#4ea8ff"/><path d="M112 140 L122 140" stroke="#10131a" stroke-opacity="0.6" stroke-width="1.5"/>');
    expect(svg).toContain(text('12', '473', formatHud(hud(0, 0.5)), 13, '#aab3c5'));
    expect(svg).not.toContain('wins');
  });

  it('the shot\'s trail and, once it landed, its impact marker; the last frame\'s HUD and result', () => {
    const fr = replayFrames(episode(), { mode: 'real' }).frames;
    // after the second physics frame: a solid trail, still in flight
    const mid = fr[12].svg;
    expect(mid).toContain('<g clip-path="url(#arena)"><path d="M112 240 L132 220" fill="none" stroke="#35d0ff" stroke-opacity="1" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></g>');
    // the next decision step: the shot has landed
    const last = fr[23].svg;
    expect(last).toContain(
      '<g clip-path="url(#arena)"><path d="M112 240 L132 220" fill="none" stroke="#35d0ff" stroke-opacity="1" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>' +
        '<g opacity="1"><circle cx="132" cy="220" r="8" fill="#ffe45c"/><path d="M127.2 215.2 L136.8 224.8 M136.8 215.2 L127.2 224.8" stroke="#10131a" stroke-width="2"/></g></g>',
    );
    // a marker circle (radius at least 5, heading down), a two-point polygon (nothing), a marker polygon (half opaque)
    expect(last).toContain('<circle cx="212" cy="240" r="5" fill="#8fb98b"/><path d="M212 240 L212 245" stroke="#10131a" stroke-opacity="0.6" stroke-width="1.5"/>');
    expect(last).toContain('<polygon points="14,42 18,42 16,44" fill="#8fb98b" fill-opacity="0.5"/>');
    expect(last).toContain(text('12', '473', formatHud({ ...hud(1, -0.25), shots: 2, winner: 0 }), 13, '#aab3c5'));
    expect(last).toContain(
      '<rect x="330.2" y="50" width="139.6" height="34" rx="8" fill="#0b0e13" fill-opacity="0.8" stroke="#5f6a80" stroke-width="1"/>' +
        text('400', '72', 'blue wins', 20, '#ffffff', ' font-weight="bold" text-anchor="middle"'),
    );
    // a draw, and red
    const ep = episode();
    expect(replayFrames({ ...ep, episode: { ...ep.episode, winner: -1 } }, { mode: 'real' }).frames[23].svg).toContain('>draw</text>');
    expect(replayFrames({ ...ep, episode: { ...ep.episode, winner: 1 } }, { mode: 'real' }).frames[23].svg).toContain('>red wins</text>');
    expect(replayFrames({ ...ep, episode: { ...ep.episode, winner: -1 } }, { mode: 'real' }).frames[23].svg).toContain(formatHud({ ...hud(1, -0.25), shots: 2, winner: 'draw' }));
  });

  it('older trails fade; a puck leaves no marker; a scene without shot counts keeps its HUD', () => {
    const ep = episode();
    const shot = (x: number) => scene([circle('shell', 'projectile', x, 100, 2)], { time: 1 });
    const puck = (x: number) => scene([circle('puck', 'puck', x, 20, 3)], { time: 2 });
    const r = replayFrames({ ...ep, episode: { ...ep.episode, scenario: 'hockey' }, start: scene([], { time: 0 }), frames: [[shot(10), shot(20)], [shot(300), shot(310)], [puck(100), puck(120)]] }, { mode: 'real' });
    const last = r.frames[23].svg;
    // three trails: the first fades (0.5), its marker too; the puck is white, full, unmarked
    expect(last).toContain('<path d="M32 240 L52 240" fill="none" stroke="#35d0ff" stroke-opacity="0.5"');
    expect(last).toContain('<g opacity="0.5"><circle cx="52" cy="240" r="8"');
    expect(last).toContain('<path d="M612 240 L632 240" fill="none" stroke="#ffb020" stroke-opacity="1"');
    expect(last).toContain('<g opacity="1"><circle cx="632" cy="240" r="8"');
    expect(last).toContain('<path d="M212 80 L252 80" fill="none" stroke="#ffffff" stroke-opacity="1"');
    expect(last).not.toContain('cx="252" cy="80" r="8"');
    // a puck is drawn at least 7 across, a projectile 6
    expect(last).toContain('<circle cx="252" cy="80" r="7" fill="#f5f7fa"/><path d="M252 80 L259 80"');
    expect(last).toContain(text('12', '473', formatHud({ time: 2 }), 13, '#aab3c5'));
    // the hockey legend: the puck's white segment, no impact marker
    expect(last).toContain(text('646.9', '22', 'real (physics)', 14, '#e6e9ef', ' font-weight="bold"') + '<path d="M606.9 17 L634.9 17" stroke="#ffffff" stroke-width="4" stroke-linecap="round"/>');
    expect(last).not.toContain('>landed<');
  });
});

describe('a dream frame', () => {
  const violet = '#d08cff';
  const ring = (x: string, y: string, r: string, op = '0.95', w = '2.5') => `<circle cx="${x}" cy="${y}" r="${r}" fill="none" stroke="${violet}" stroke-opacity="${op}" stroke-width="${w}"/>`;

  it('the start: the stage dimmed, the legend, step 0 of 2 with the real wind', () => {
    const svg = replayFrames(episode(), { mode: 'dream' }).frames[0].svg;
    expect(svg).toContain(text('12', '24', 'DREAM', 16, violet, ' font-weight="bold" letter-spacing="1"') + text('88.6', '24', 'grounded · generation 3 · seed 1 &amp; &lt;x&gt;', 14, '#aab3c5'));
    // "dream (world model)" 19 × 14 × 0.72 = 191.5 wide
    expect(svg).toContain(`<path d="M556.5 17 L586.5 17" stroke="${violet}" stroke-width="2.5" stroke-dasharray="7 5"/>` + text('596.5', '22', 'dream (world model)', 14, violet, ' font-weight="bold"'));
    expect(svg).toContain(
      '<g opacity="0.55"><polygon points="12,340 788,340 788,440 12,440" fill="#3d4657" fill-opacity="1"/><polygon points="32,320 72,320 72,340 32,340" fill="#4ea8ff" fill-opacity="1" stroke="#ffffff" stroke-opacity="0.35" stroke-width="1.5"/></g>',
    );
    // the paddle: a ring of radius 10 where the dream starts, no track yet
    expect(svg).toContain(ring('112', '140', '10', '0.95', '3'));
    expect(svg).toContain(text('12', '473', 'dreamt step 0 of 2  ·  the same start and moves as the real game  ·  wind (real) → 0.50', 13, '#aab3c5'));
    expect(svg).not.toContain('stroke-dasharray="10 7"');
  });

  it('half way through the first step: half an arc with a small ring; the paddle\'s track half way', () => {
    const svg = replayFrames(episode(), { mode: 'dream' }).frames[4].svg;
    // the arc from (20, 140) to (100, 150), apex 80/3 above the higher end; at t = ½: (60, 113.3)
    expect(svg).toContain(ring('132', '266.7', '6'));
    const arc = svg.match(/<path d="(M52 320[^"]*)" fill="none" stroke="#d08cff" stroke-opacity="0.95" stroke-width="2.5" stroke-dasharray="10 7"/);
    expect(arc).not.toBeNull();
    expect(arc![1].split(' L')).toHaveLength(13);
    expect(arc![1].endsWith('L132 266.7')).toBe(true);
    expect(svg).toContain(`<path d="M112 140 L132 140" fill="none" stroke="${violet}" stroke-opacity="0.6" stroke-width="2" stroke-dasharray="10 7" stroke-linecap="round"/>` + ring('132', '140', '10', '0.95', '3'));
    expect(svg).toContain('dreamt step 1 of 2');
  });

  it('the end: the first landing in full, the shot of the seat not on turn ignored, the other seat\'s shot; both verdicts', () => {
    const svg = replayFrames(episode(), { mode: 'dream' }).frames[23].svg;
    const arcs = [...svg.matchAll(/<path d="(M[^"]*)" fill="none" stroke="#d08cff" stroke-opacity="([\d.]+)" stroke-width="2.5" stroke-dasharray="10 7"/g)].map((m) => [m[1].split(' ')[0] + ' ' + m[1].split(' ')[1], m[1].split(' L').length, m[2]]);
    expect(arcs).toEqual([['M52 320', 25, '0.95'], ['M752 320', 25, '0.95']]);
    expect(svg).toContain(ring('212', '340', '8'));
    expect(svg).toContain(ring('612', '340', '8'));
    expect(svg).not.toContain('cx="232" cy="340"');
    expect(svg).toContain(`<path d="M112 140 L152 140 L192 140" fill="none" stroke="${violet}" stroke-opacity="0.6"`);
    expect(svg).toContain(text('12', '473', 'dreamt step 2 of 2  ·  the same start and moves as the real game  ·  wind (real) ← 0.25', 13, '#aab3c5'));
    // "its dream: red wins · really: blue wins": 39 characters → 511.6 wide
    expect(svg).toContain('<rect x="144.2" y="50" width="511.6" height="34" rx="8"');
    expect(svg).toContain(text('400', '72', 'its dream: red wins · really: blue wins', 20, violet, ' font-weight="bold" text-anchor="middle"'));
    const ep = episode();
    const nobody = replayFrames({ ...ep, dreamOutcome: { step: null, winner: -1 } }, { mode: 'dream' }).frames[23].svg;
    expect(nobody).toContain('>its dream: nobody wins · really: blue wins</text>');
    const calm = replayFrames({ ...ep, frames: [ep.frames[0], [{ ...ep.frames[1][0], hud: { shots: 1, maxShots: 4, winner: '', wind: 0 } }]] }, { mode: 'dream' }).frames[23].svg;
    expect(calm).toContain('the same start and moves as the real game  ·  wind (real)  0.00</text>');
    const still = replayFrames({ ...ep, frames: [ep.frames[0], [{ ...ep.frames[1][0], hud: { time: 1 } }]] }, { mode: 'dream' }).frames[23].svg;
    expect(still).toContain('the same start and moves as the real game</text>');
  });

  it('the same landing dreamt again is not a new shot; only the newest two arcs are bright, eight at most', () => {
    const ep = episode();
    const steps = 12;
    const dream = Array.from({ length: steps }, (_, t) => [{ label: 'shell0', x: 100 + 10 * Math.floor(t / 2), y: 150, from: { x: 20, y: 140 } }]);
    const r = replayFrames(
      {
        ...ep,
        episode: { ...ep.episode, active: Array.from({ length: steps }, () => [true, true]), actions: Array.from({ length: steps }, () => [[0], [0]]) },
        frames: Array.from({ length: steps }, () => [scene([ground], hud(0, 0))]),
        dreamStart: [],
        dream,
      },
      { mode: 'dream' },
    );
    const svg = r.frames[r.frames.length - 1].svg;
    const ops = [...svg.matchAll(/stroke-opacity="([\d.]+)" stroke-width="2.5" stroke-dasharray="10 7"/g)].map((m) => m[1]);
    // six distinct landings (every other step repeats one)
    expect(ops).toEqual(['0.4', '0.4', '0.4', '0.4', '0.95', '0.95']);
    const dream16 = Array.from({ length: 20 }, (_, t) => [{ label: 'shell0', x: 100 + 5 * t, y: 150, from: { x: 20, y: 140 } }]);
    const r16 = replayFrames(
      { ...ep, episode: { ...ep.episode, active: Array.from({ length: 20 }, () => [true, true]), actions: [] }, frames: Array.from({ length: 20 }, () => [scene([ground], hud(0, 0))]), dreamStart: [], dream: dream16 },
      { mode: 'dream' },
    );
    const last = r16.frames[r16.frames.length - 1].svg;
    expect([...last.matchAll(/stroke-dasharray="10 7"/g)]).toHaveLength(8);
    // the newest ends at x = 100 + 5·19 = 195 → 402
    expect(last).toContain(ring('402', '340', '8'));
  });
});
