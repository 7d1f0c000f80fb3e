/** Tiny experiment configs shared by the test suites (seconds each). */

/** A hockey run of 30-move games, one seed, one generation: the given lineages of 4 games each. */
export function tinyHockeyConfig(name: string, lineages: [name: string, recipe: string][]): Record<string, unknown> {
  return {
    name,
    scenario: 'hockey',
    scenarioParams: { maxSteps: 30 },
    seeds: [2],
    generations: 1,
    d0: { episodes: 16 },
    model: { hidden: [8], components: 1, worldHidden: [8] },
    training: { epochs: 2, batchSize: 64 },
    evaluation: { panelGames: 2, roundRobinGames: 1, selfPlayEpisodes: 2 },
    lineages: lineages.map(([n, recipe]) => ({ name: n, recipe, episodes: 4 })),
  };
}
