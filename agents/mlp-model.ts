import { Mlp, resolveMlpConfig, type MlpConfig } from './mlp.ts';
import { log as exactLog } from './exact-math.ts';
import { makeCheckpoint, readCheckpoint, type Checkpoint, type CheckpointKind } from './checkpoint.ts';

/**
 * What the policy and the world model share: a resolved config, one MLP holding every weight,
 * weight access, disposal and the checkpoint format.
 */
/**
 * The raw output that the smooth std clamp, log σ = log(minStd) + (log(maxStd) − log(minStd)) ·
 * sigmoid(raw), maps to initStd: the bias that starts every σ at initStd.
 */
export function rawForStd(minStd: number, maxStd: number, initStd: number): number {
  const lo = Math.log(minStd);
  const hi = Math.log(maxStd);
  const s = (Math.log(initStd) - lo) / (hi - lo);
  return Math.log(s / (1 - s));
}

/**
 * The smooth std clamp of a head, log σ = lo + span · sigmoid(raw): lo = log(minStd),
 * span = log(maxStd) − log(minStd) (exact logs, the same bits in every engine).
 */
export function stdClamp(minStd: number, maxStd: number): { lo: number; span: number } {
  const lo = exactLog(minStd);
  return { lo, span: exactLog(maxStd) - lo };
}

/** ½ log 2π, the Gaussian log-density's constant. */
export const HALF_LOG_2PI = 0.5 * exactLog(2 * Math.PI);

/**
 * Read a policy or world-model checkpoint: its resolved config and the MLP rebuilt from its
 * weights (shapes checked against what the config implies).
 */
export function readMlpCheckpoint<C>(
  json: unknown,
  kind: CheckpointKind,
  resolve: (raw: C) => C,
  mlpConfig: (config: C) => MlpConfig,
): { config: C; mlp: Mlp } {
  let config: C | null = null;
  const { tensors } = readCheckpoint<C>(json, kind, (raw) => {
    config = resolve(raw);
    return Mlp.shapesOf(resolveMlpConfig(mlpConfig(config)));
  });
  const c = config as unknown as C;
  return { config: c, mlp: Mlp.fromWeights(mlpConfig(c), tensors) };
}

export abstract class MlpModel<K extends CheckpointKind, C extends { obsSize: number; actSize: number }> {
  protected constructor(
    private readonly kind: K,
    public config: C,
    protected mlp: Mlp,
  ) {}

  get obsSize(): number {
    return this.config.obsSize;
  }

  get actSize(): number {
    return this.config.actSize;
  }

  get numParams(): number {
    return this.mlp.numParams;
  }

  getWeights(): Float32Array[] {
    return this.mlp.getWeights();
  }

  setWeights(values: Float32Array[]): void {
    this.mlp.setWeights(values);
  }

  dispose(): void {
    this.mlp.dispose();
  }

  get disposed(): boolean {
    return this.mlp.disposed;
  }

  toJSON(meta?: Record<string, unknown>): Checkpoint<K, C> {
    const shapes = this.mlp.shapes();
    const values = this.mlp.getWeights();
    return makeCheckpoint(this.kind, this.config, shapes.map((s, i) => ({ ...s, values: values[i] })), meta);
  }
}
