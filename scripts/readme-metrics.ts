/**
 * Writes the README's metric table from the metric registry (lab/metrics.ts), between the
 * `<!-- metrics:begin -->` and `<!-- metrics:end -->` markers. `npm run docs:metrics`;
 * test/readme.test.ts fails when the README and the registry disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { metricTableMarkdown } from '../lab/metrics.ts';

export const BEGIN = '<!-- metrics:begin -->';
export const END = '<!-- metrics:end -->';

/** The README text with its metric table section replaced by the registry's table. */
export function withMetricTable(readme: string, table = metricTableMarkdown()): string {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md: the markers ${BEGIN} … ${END} are missing`);
  return `${readme.slice(0, a + BEGIN.length)}\n${table}\n${readme.slice(b)}`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const path = new URL('../README.md', import.meta.url);
  writeFileSync(path, withMetricTable(readFileSync(path, 'utf8')));
}
