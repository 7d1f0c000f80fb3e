import { readFileSync } from 'node:fs';
import { arch, cpus, platform, release } from 'node:os';
import { createRequire } from 'node:module';
import type { Experiment } from '../lab/config.ts';

const require = createRequire(import.meta.url);

function version(pkg: string): string {
  try {
    return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export interface Manifest {
  format: 'driftlab-run';
  formatVersion: 1;
  name: string;
  createdAt: string;
  config: Experiment;
  seeds: number[];
  versions: Record<string, string>;
  platform: { os: string; release: string; arch: string; cpus: number; node: string };
}

/** manifest.json: what was run, with which versions, where. (metrics.jsonl holds no such data.) */
export function makeManifest(exp: Experiment): Manifest {
  return {
    format: 'driftlab-run',
    formatVersion: 1,
    name: exp.name,
    createdAt: new Date().toISOString(),
    config: exp,
    seeds: exp.seeds,
    versions: {
      driftlab: JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version,
      '@tensorflow/tfjs': version('@tensorflow/tfjs'),
      'matter-js': version('matter-js'),
      'vega-lite': version('vega-lite'),
    },
    platform: { os: platform(), release: release(), arch: arch(), cpus: cpus().length, node: process.version },
  };
}
