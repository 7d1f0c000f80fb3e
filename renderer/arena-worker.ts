/// <reference lib="webworker" />
/**
 * The arenas' worker: loads checkpoints, plays showcase episodes (lab/showcase.ts) and human
 * games (LiveMatch) in the real simulator. Speaks ArenaCommand / ArenaReply (arena-client.ts).
 */
import { Policy } from '../agents/policy.ts';
import { initTf } from '../agents/tf.ts';
import { WorldModel } from '../agents/world-model.ts';
import { policyActor, scriptedActor, type Actor } from '../lab/actors.ts';
import { getScenario } from '../lab/scenarios.ts';
import { LiveMatch, showcaseEpisode } from '../lab/showcase.ts';
import { Rng } from '../sim/rng.ts';
import type { ArenaCommand, ArenaReply, OpponentSpec } from './arena-client.ts';
import { packFrames } from './scene-pack.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (r: ArenaReply) => scope.postMessage(r);

interface Model {
  policy: Policy;
  world: WorldModel;
}

const texts = new Map<string, string>();
const models = new Map<string, Model>();
let tfReady: Promise<string> | null = null;
let match: LiveMatch | null = null;

function loadModel(key: string): Model {
  let m = models.get(key);
  if (m) return m;
  const text = texts.get(key);
  if (text === undefined) throw new Error(`no checkpoint ${key} in this run`);
  let j: { policy?: unknown; world?: unknown };
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new Error(`${key} is not valid JSON: ${(e as Error).message}`);
  }
  m = { policy: Policy.fromJSON(j.policy), world: WorldModel.fromJSON(j.world) };
  models.set(key, m);
  return m;
}

function forget(): void {
  for (const m of models.values()) {
    m.policy.dispose();
    m.world.dispose();
  }
  models.clear();
  texts.clear();
}

function opponentActor(spec: OpponentSpec, scenario: string): Actor {
  const entry = getScenario(scenario);
  const O = entry.def.observationSpace.size;
  const A = entry.def.actionSpace.size;
  if (spec.kind === 'scripted') {
    const style = entry.scripted.find((s) => s.name === spec.style);
    if (!style) throw new Error(`no scripted style ${JSON.stringify(spec.style)} in ${scenario}`);
    return scriptedActor(style, O, A);
  }
  return policyActor(spec.key, loadModel(spec.key).policy, A, 1);
}

async function handle(cmd: ArenaCommand): Promise<void> {
  switch (cmd.type) {
    case 'init':
      tfReady = initTf('wasm', { wasmPaths: cmd.wasmBase });
      try {
        post({ type: 'ready', backend: await tfReady });
      } catch (e) {
        post({ type: 'error', id: null, message: `The arenas could not start tfjs's WebAssembly backend from ${cmd.wasmBase}: ${(e as Error).message}` });
      }
      return;
    case 'model':
      texts.set(cmd.key, cmd.text);
      return;
    case 'forget':
      forget();
      return;
    case 'showcase': {
      await tfReady;
      const entry = getScenario(cmd.scenario);
      const m = loadModel(cmd.model);
      const s = showcaseEpisode(entry, cmd.params, m.policy, m.world, opponentActor(cmd.opponent, cmd.scenario), cmd.seed, new Rng(cmd.seed, 'showcase', ...cmd.rngLabels));
      post({
        type: 'showcase',
        id: cmd.id,
        result: { episode: s.episode, packed: packFrames(s.start, s.frames), dreamStart: s.dreamStart, dream: s.dream, real: s.real, dreamOutcome: s.dreamOutcome },
      });
      return;
    }
    case 'play-start': {
      await tfReady;
      const entry = getScenario(cmd.scenario);
      match = new LiveMatch(entry, cmd.params, cmd.seed, opponentActor(cmd.opponent, cmd.scenario), new Rng(cmd.seed, 'human-play'));
      post({
        type: 'play',
        id: cmd.id,
        update: { packed: packFrames(match.start, []), humanActive: match.humanActive, done: false, events: [], observation: match.observation },
      });
      return;
    }
    case 'play-step': {
      if (!match) throw new Error('no game is being played');
      const r = match.step(cmd.action);
      const first = r.frames[0];
      post({
        type: 'play',
        id: cmd.id,
        update: {
          packed: first ? packFrames(first, [r.frames]) : packFrames(match.start, []),
          humanActive: match.humanActive,
          done: r.done,
          events: r.events,
          observation: match.observation,
          episode: r.done ? match.episode : undefined,
        },
      });
      return;
    }
    case 'play-end':
      match = null;
      return;
  }
}

// one command at a time, in order
let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (e: MessageEvent<ArenaCommand>) => {
  const cmd = e.data;
  queue = queue.then(() =>
    handle(cmd).catch((err: unknown) => {
      const id = 'id' in cmd ? cmd.id : null;
      post({ type: 'error', id, message: err instanceof Error ? err.message : String(err) });
    }),
  );
});
