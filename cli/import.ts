/**
 * `driftlab import <bundle.json> <runDir>`: a run bundle saved by the web page ("Save run") → a
 * run folder that `driftlab report`, `check` and `merge` read, and the desktop app opens.
 *
 * Everything is checked before anything is written: the bundle (lab/bundle.ts), its manifest
 * (a Driftlab run whose config passes the preset schema), and the target (absent or an empty
 * folder). A bad input is one line naming the part, exit 2, nothing written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BundleError, parseRunBundle } from '../lab/bundle.ts';
import { parseExperiment } from '../lab/config.ts';
import { ConfigError } from '../sim/errors.ts';
import { writeAtomic } from './fs-storage.ts';

/** A bundle larger than this is refused before it is read (a bundle of the curse preset is ~100 MB). */
export const MAX_BUNDLE_BYTES = 1024 * 1024 * 1024;

export interface ImportResult {
  dir: string;
  files: number;
  name: string;
}

export function importBundle(bundlePath: string, outDir: string): ImportResult {
  const src = resolve(bundlePath);
  let st;
  try {
    st = statSync(src);
  } catch {
    throw new ConfigError('bundle', `${bundlePath} does not exist`);
  }
  if (!st.isFile()) throw new ConfigError('bundle', `${bundlePath} is not a file`);
  if (st.size > MAX_BUNDLE_BYTES) throw new ConfigError('bundle', `${bundlePath} is larger than ${MAX_BUNDLE_BYTES} bytes`);

  let bundle;
  try {
    bundle = parseRunBundle(readFileSync(src, 'utf8'));
  } catch (e) {
    if (e instanceof BundleError) throw new ConfigError(e.field === 'bundle' ? 'bundle' : `bundle.files[${JSON.stringify(e.field)}]`, e.message.slice(e.field.length + 2));
    throw e;
  }
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(bundle.files.get('manifest.json')!) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError('manifest.json', `is not valid JSON (${(e as Error).message})`);
  }
  if (typeof manifest !== 'object' || manifest === null || manifest.format !== 'driftlab-run') {
    throw new ConfigError('manifest.json', 'is not a Driftlab run manifest (format "driftlab-run")');
  }
  try {
    parseExperiment(manifest.config);
  } catch (e) {
    throw new ConfigError('manifest.json', `config: ${(e as Error).message}`);
  }

  const dir = resolve(outDir);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new ConfigError('runDir', `${outDir} exists and is not a folder`);
    if (readdirSync(dir).length > 0) throw new ConfigError('runDir', `${outDir} is not empty: choose a new folder (a run folder is never overwritten)`);
  }
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  try {
    for (const [rel, text] of bundle.files) writeAtomic(join(dir, ...rel.split('/')), text);
  } catch (e) {
    // an I/O failure half-way: leave nothing behind that was not there before
    if (created) rmSync(dir, { recursive: true, force: true });
    else for (const rel of bundle.files.keys()) rmSync(join(dir, ...rel.split('/')), { force: true });
    throw e;
  }
  return { dir, files: bundle.files.size, name: bundle.name };
}

/** The `import` command: argv after the command name. */
export function cmdImport(argv: string[], out: NodeJS.WritableStream): number {
  const positional = argv.filter((a) => !a.startsWith('--'));
  const unknown = argv.find((a) => a.startsWith('--'));
  if (unknown) throw new ConfigError('option', `${unknown} is not an option of import`, 'none');
  if (positional.length !== 2) throw new ConfigError('arguments', 'import needs a bundle file and a new run folder: driftlab import bundle.json runs/name');
  const r = importBundle(positional[0], positional[1]);
  out.write(`imported ${r.name} (${r.files} files) into ${r.dir}; \`driftlab report ${positional[1]}\` renders its report\n`);
  return 0;
}
