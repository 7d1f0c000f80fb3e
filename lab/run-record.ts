/**
 * The run folder's record: where its files live and the content hashes that let a reader trust
 * them. Pure (no Node built-ins, no DOM): the CLI, the app and tests share it.
 */

/**
 * The default run folder's name for an experiment name: a safe slug (lowercase letters, digits,
 * '.', '_' and '-'; never empty, never starting with '.'), so a name can never address a path
 * outside `runs/`.
 */
export function runFolderName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 64);
  return slug || 'run';
}
