/**
 * Human play: a person plays a generation (or a scripted player) in the real simulator, and a
 * finished game can join a lineage's training data as fresh real data. One effect shows how many
 * human games are queued and trained on.
 */
import { batch, effect } from '@preact/signals-core';
import type { HumanGame } from '../lab/host.ts';
import { getScenario } from '../lab/scenarios.ts';
import type { OpponentSpec } from './arena-client.ts';
import { $, fillOptions } from './dom.ts';
import type { FinishedGame } from './human-play.ts';
import type { Page, PlayView } from './page.ts';
import { checkpointPath } from './run-files.ts';
import { withEntry } from './store.ts';

export function installPlayView(page: Page): PlayView {
  const { els, store, human, lab } = page;
  let gamesStarted = 0;
  let pendingGame: FinishedGame | null = null;

  /** Fill the play opponents; `fresh` picks the default (recursive at the selected generation). */
  function refreshOpponents(fresh = false): void {
    const exp = store.experiment.peek();
    const scenario = exp?.scenario ?? store.knobs.peek().scenario;
    const last = store.lastFinished.peek();
    const options: [string, string][] = [];
    if (exp && last >= 0) {
      for (const l of exp.lineages.map((x) => x.name)) for (let g = last; g >= 0; g--) options.push([`model:${l}:${g}`, `${l} · generation ${g}`]);
    }
    for (const s of getScenario(scenario).scripted) options.push([`scripted:${s.name}`, `scripted ${s.name}`]);
    const preferred = exp && last >= 0 ? `model:${exp.lineages.some((l) => l.name === 'recursive') ? 'recursive' : exp.lineages[0].name}:${Math.min(last, page.arena.selectedGeneration())}` : '';
    fillOptions(els.playOpponent, options, fresh ? '' : els.playOpponent.value, preferred || undefined);
    // lineages that can take a human game
    const lineages = exp ? exp.lineages.map((l) => l.name) : store.knobs.peek().lineages;
    fillOptions(els.playLineage, lineages.map((l): [string, string] => [l, l]), els.playLineage.value);
  }

  function opponentOf(value: string): { spec: OpponentSpec; id: string } {
    if (value.startsWith('scripted:')) return { spec: { kind: 'scripted', style: value.slice(9) }, id: value };
    const [, lineage, g] = value.split(':');
    const gen = Number(g);
    const key = checkpointPath(store.experiment.peek()!.seeds[0], lineage, gen);
    const text = store.files.peek().get(key);
    if (text === undefined) throw new Error(`${key} is not in this run`);
    page.arenaClient.model(key, text);
    return { spec: { kind: 'model', key }, id: gen === 0 ? 'g0' : `${lineage}/g${gen}` };
  }

  async function newGame(): Promise<void> {
    pendingGame = null;
    els.playAdd.disabled = true;
    const exp = store.experiment.peek();
    const scenario = exp?.scenario ?? store.knobs.peek().scenario;
    try {
      const opp = opponentOf(els.playOpponent.value);
      els.playFire.hidden = scenario !== 'duel';
      els.playHelp.textContent = scenario === 'duel' ? '↑/↓ aim · ←/→ power · drag from your tank · Space fires' : 'arrow keys / WASD push · or move the mouse over the table';
      $('arena-play').focus();
      await human.start({ scenario, params: exp?.scenarioParams ?? {}, opponent: opp.spec, opponentId: opp.id, seed: 500 + gamesStarted++ });
    } catch (e) {
      els.playStatus.textContent = `Cannot start the game: ${(e as Error).message}`;
    }
  }

  // the view: human games queued and trained on, per lineage
  effect(() => {
    const queued = store.humanQueued.value;
    const used = store.humanUsed.value;
    const names = new Set([...queued.keys(), ...used.keys()]);
    const parts = [...names].map((l) => {
      const q = queued.get(l) ?? 0;
      const u = used.get(l) ?? 0;
      return `${l}: ${q} queued${u ? `, ${u} trained on` : ''}`;
    });
    const total = [...queued.values()].reduce((a, b) => a + b, 0);
    els.humanCount.textContent = parts.length ? `Human games — ${parts.join(' · ')}` : 'Human games: none yet';
    els.humanCount.dataset.queued = String(total);
    els.humanCount.dataset.used = String([...used.values()].reduce((a, b) => a + b, 0));
    if (total > 0 && !store.isBusy.value) {
      // Continue trains generations beyond the last one: say so when it is disabled for that reason
      const exp = store.experiment.value;
      const reached = store.lastFinished.value;
      const more = exp && reached >= 0 && !store.canContinue.value && Number(store.knobs.value.generations) <= reached;
      els.humanCount.textContent += more
        ? ` — they join the next generation trained: Run, or raise Generations above ${reached} and Continue this run.`
        : ' — they join the next generation trained (Run, or Continue this run).';
    }
  });

  function setPlayMode(on: boolean): void {
    document.body.classList.toggle('playing', on);
    els.playToggle.setAttribute('aria-pressed', String(on));
    els.play.hidden = !on;
    els.arenas.hidden = on;
    if (on) {
      page.deck.stop();
      refreshOpponents(true);
      void newGame();
    } else {
      human.stop();
      page.deck.reset();
      if (store.experiment.peek() && store.lastFinished.peek() >= 0) page.arena.showGeneration();
      else void page.arena.idle();
    }
  }

  lab.onNotice((m) => {
    if (m.type !== 'human-used') return;
    batch(() => {
      store.humanQueued.value = withEntry(store.humanQueued.peek(), m.lineage, Math.max(0, (store.humanQueued.peek().get(m.lineage) ?? 0) - m.count));
      store.humanUsed.value = withEntry(store.humanUsed.peek(), m.lineage, (store.humanUsed.peek().get(m.lineage) ?? 0) + m.count);
    });
    page.presenter.push({
      label: `Generation ${m.generation}`,
      text: `${m.count} game${m.count === 1 ? '' : 's'} played by a person join${m.count === 1 ? 's' : ''} ${m.lineage}'s training data for generation ${m.generation}, as fresh real data.`,
    });
  });
  human.onStatus((t) => (els.playStatus.textContent = t));
  human.onWait((waiting) => {
    els.playFire.disabled = waiting;
    els.playFire.textContent = waiting ? 'Wait…' : 'Fire (Space)';
  });
  human.onFinished((g) => {
    pendingGame = g;
    els.playAdd.disabled = false;
  });
  els.playToggle.addEventListener('click', () => setPlayMode(!document.body.classList.contains('playing')));
  els.playNew.addEventListener('click', () => void newGame());
  els.playFire.addEventListener('click', () => human.fire());
  els.playOpponent.addEventListener('change', () => void newGame());
  els.playAdd.addEventListener('click', () => {
    if (!pendingGame) return;
    const lineage = els.playLineage.value;
    const game: HumanGame = { ep: pendingGame.ep, players: pendingGame.players };
    lab.addHumanGame(lineage, game);
    store.humanQueued.value = withEntry(store.humanQueued.peek(), lineage, (store.humanQueued.peek().get(lineage) ?? 0) + 1);
    pendingGame = null;
    els.playAdd.disabled = true;
    els.playStatus.textContent = `Added to ${lineage}: it joins ${lineage}'s training data when its next generation is trained.`;
  });
  return { refreshOpponents, setPlayMode };
}
