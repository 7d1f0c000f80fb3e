/** A configuration or input error: names the field and what is allowed. CLI maps it to exit 2. */
export class ConfigError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly allowed?: string,
  ) {
    super(`${path}: ${problem}${allowed ? ` (allowed: ${allowed})` : ''}`);
    this.name = 'ConfigError';
  }
}
