/** `npm run golden:update`: rewrite test/golden/*.json from the configs in golden.ts. Review the diff. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initTf } from '../../agents/tf.ts';
import { calibrationGolden, physicsConfigs, physicsGolden } from './golden.ts';

const dir = import.meta.dirname;
const which = process.argv[2] ?? 'all';
if (!['all', 'physics', 'calibration'].includes(which)) {
  process.stderr.write(`golden:update: ${which} is not one of all, physics, calibration\n`);
  process.exit(2);
}
if (which !== 'calibration') {
  await initTf('wasm');
  const out = [];
  for (const c of physicsConfigs) out.push(await physicsGolden(c));
  writeFileSync(join(dir, 'physics.json'), JSON.stringify(out, null, 1) + '\n');
  process.stdout.write(`wrote test/golden/physics.json (${out.length} runs)\n`);
}
if (which !== 'physics') {
  writeFileSync(join(dir, 'calibration.json'), JSON.stringify(calibrationGolden(), null, 1) + '\n');
  process.stdout.write('wrote test/golden/calibration.json\n');
}
