/**
 * Every metric in plain words: a short name and one sentence a classroom can read. One pure table
 * (no DOM, no Node) shared by the app's hover/tap explanations and, later, the report.
 * Keys are metrics.jsonl keys; keys other engineers add (worldNll, selfDeception, …) are here
 * already so the app explains them the moment they appear in the rows.
 */
export interface MetricWords {
  /** a short name for a chart title or a label */
  name: string;
  /** one plain sentence: what the number means and which way is good */
  plain: string;
}

export const METRIC_WORDS: Readonly<Record<string, MetricWords>> = {
  winRate: { name: 'Real win rate', plain: 'How often this generation really wins when it plays the fixed panel of opponents in the physics simulator; higher is better.' },
  believedWinRate: { name: 'Believed win rate', plain: 'How often the model thinks it wins when it plays the same games inside its own imagination (its world model) instead of the simulator.' },
  selfDeception: { name: 'Self-deception', plain: 'Believed win rate minus real win rate: how much better the model thinks it is than it really is; zero means it sees itself truly.' },
  elo: { name: 'Elo rating', plain: 'A chess-style skill score from games against every other generation and the scripted players in the simulator; the simple scripted shooter is fixed at 1000.' },
  worldNll: { name: 'World model’s surprise at reality', plain: 'How surprised the world model is by real games it never trained on (negative log-likelihood); lower means its picture of physics is closer to reality.' },
  worldTailCoverage: { name: 'Rare outcomes the world model still imagines', plain: 'How many of reality’s rare outcomes the world model still reproduces when it replays real moves, compared with reality itself; 100% means none are forgotten.' },
  worldOutcomeAccuracy: { name: 'World model’s outcome accuracy', plain: 'How often the world model predicts the right winner when it replays the moves of a real game.' },
  realNll: { name: 'Policy’s surprise at real play', plain: 'How surprised the player model is by the moves in real games it never saw (negative log-likelihood); lower means it still plays like the real data.' },
  entropy: { name: 'Variety of play', plain: 'How varied the model’s moves are on real game situations (entropy); it falls as the model keeps making the same few moves.' },
  actionStd: { name: 'Spread of moves', plain: 'How widely the model’s moves spread on real game situations; smaller means more uniform play.' },
  tailShare: { name: 'Rare styles of play (the tails)', plain: 'The share of rare shots, such as high lobs, in the model’s real games; when it drops towards zero the model has forgotten the tails.' },
  d0TailShare: { name: 'Rare styles in the real data', plain: 'The share of rare shots in the original real games every lineage started from, for comparison.' },
  realityGap: { name: 'Reality gap', plain: 'How far the world model’s imagined game ends from the real one when both start the same and make the same moves; lower is better.' },
  outcomeDisagreement: { name: 'Wrong imagined outcomes', plain: 'How often the world model imagines a different winner than physics decides for the same moves; lower is better.' },
  w1: { name: 'Distance from the real data', plain: 'How different the model’s real games look from the original real games (sliced Wasserstein distance); higher means it drifted further.' },
  trainSamples: { name: 'Training-set size', plain: 'How many moves the generation learned from.' },
  provenance: { name: 'Where the training data came from', plain: 'The share of the training moves that came from the simulator, from people, or from a model’s imagination.' },
  actionHistogram: { name: 'Moves by generation', plain: 'How often each kind of move was played; a shrinking spread is the tails vanishing.' },
};

/** The plain sentence for a metric key ('' when unknown). */
export function explainMetric(key: string): string {
  return METRIC_WORDS[key]?.plain ?? '';
}
