/**
 * The Driftlab page: header controls, two arenas (grounded / recursive), a generation scrubber,
 * chart slots and presenter mode. Phase 1: the arenas play scripted matches of the chosen
 * scenario (demo.ts); phase 2 drives them and the charts from the lab worker (lab-client.ts).
 */
import { presets, defaultPreset } from '../lab/presets.ts';
import { scenarioIds } from '../lab/scenarios.ts';
import type { ScenarioId } from '../sim/types.ts';
import { Arena } from './arena.ts';
import { onMenuCommand } from './bridge.ts';
import { ScriptedDemo, type DemoState } from './demo.ts';
import { Presenter } from './presenter.ts';

function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`renderer: #${id} is missing from index.html`);
  return el as T;
}

interface PresetInfo {
  name: string;
  scenario?: ScenarioId;
  description: string;
}

function presetInfos(): PresetInfo[] {
  return Object.entries(presets).map(([key, raw]) => {
    const p = (raw ?? {}) as { name?: unknown; scenario?: unknown; description?: unknown };
    const scenario = typeof p.scenario === 'string' && (scenarioIds as string[]).includes(p.scenario) ? (p.scenario as ScenarioId) : undefined;
    return { name: typeof p.name === 'string' ? p.name : key, scenario, description: typeof p.description === 'string' ? p.description : '' };
  });
}

export interface DriftlabPage {
  arenas: { grounded: Arena; recursive: Arena };
  demo: ScriptedDemo;
  presenter: Presenter;
}

declare global {
  interface Window {
    /** the page's parts, for the e2e tests and the console */
    driftlabPage?: DriftlabPage;
  }
}

async function main(): Promise<void> {
  const scenarioSelect = $<HTMLSelectElement>('scenario');
  const presetSelect = $<HTMLSelectElement>('preset');
  const runBtn = $<HTMLButtonElement>('run');
  const pauseBtn = $<HTMLButtonElement>('pause');
  const stopBtn = $<HTMLButtonElement>('stop');
  const status = $<HTMLOutputElement>('status');

  const infos = presetInfos();
  for (const p of infos) {
    const o = document.createElement('option');
    o.value = p.name;
    o.textContent = p.scenario ? `${p.name} (${p.scenario})` : p.name;
    o.title = p.description;
    presetSelect.appendChild(o);
  }
  presetSelect.value = defaultPreset;
  const initial = infos.find((p) => p.name === defaultPreset)?.scenario ?? 'duel';
  scenarioSelect.value = initial;

  const [grounded, recursive] = await Promise.all([
    Arena.create($('arena-grounded'), { title: 'grounded' }),
    Arena.create($('arena-recursive'), { title: 'recursive' }),
  ]);

  const demo = new ScriptedDemo(
    [
      { arena: grounded, styles: [0, 0], seed: 1 },
      { arena: recursive, styles: [1, 0], seed: 2 },
    ],
    initial,
  );
  demo.showStart(initial);

  const showState = (s: DemoState) => {
    runBtn.disabled = s === 'running';
    runBtn.textContent = s === 'paused' ? 'Resume' : 'Run';
    pauseBtn.disabled = s !== 'running';
    stopBtn.disabled = s === 'idle' || s === 'stopped';
    status.value = {
      idle: 'idle',
      running: 'running: scripted players (the lab comes next)',
      paused: 'paused',
      stopped: 'stopped',
    }[s];
    document.body.dataset.state = s;
  };
  demo.onState(showState);
  showState(demo.state);

  runBtn.addEventListener('click', () => (demo.state === 'paused' ? demo.resume() : demo.start(scenarioSelect.value as ScenarioId)));
  pauseBtn.addEventListener('click', () => demo.pause());
  stopBtn.addEventListener('click', () => demo.stop());
  scenarioSelect.addEventListener('change', () => {
    const s = scenarioSelect.value as ScenarioId;
    if (demo.state === 'running' || demo.state === 'paused') demo.start(s);
    else demo.showStart(s);
  });
  presetSelect.addEventListener('change', () => {
    const p = infos.find((i) => i.name === presetSelect.value);
    if (p?.scenario && p.scenario !== scenarioSelect.value) {
      scenarioSelect.value = p.scenario;
      scenarioSelect.dispatchEvent(new Event('change'));
    }
  });

  const presenter = new Presenter(document, {
    toggle: $('presenter-toggle'),
    panel: $('narration'),
    stepLabel: $('narration-step'),
    text: $('narration-text'),
    prev: $('narration-prev'),
    next: $('narration-next'),
    exit: $('presenter-exit'),
  });

  presenter.onChange((on) => {
    for (const a of [grounded, recursive]) a.setTextScale(on ? 1.6 : 1);
  });

  onMenuCommand((command) => {
    if (command === 'toggle-presenter') void presenter.toggle();
    else status.value = `${command}: arrives with the lab (phase 2)`;
  });

  window.driftlabPage = { arenas: { grounded, recursive }, demo, presenter };
  document.body.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  console.error(e);
  const msg = document.createElement('p');
  msg.className = 'fatal';
  msg.textContent = `Driftlab could not start: ${e instanceof Error ? e.message : String(e)}`;
  document.body.prepend(msg);
});
