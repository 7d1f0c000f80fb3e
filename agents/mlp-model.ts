import type { Mlp } from './mlp.ts';
import { makeCheckpoint, type Checkpoint, type CheckpointKind } from './checkpoint.ts';

/**
 * What the policy and the world model share: a resolved config, one MLP holding every weight,
 * weight access, disposal and the checkpoint format.
 */
export abstract class MlpModel<K extends CheckpointKind, C> {
  protected constructor(
    private readonly kind: K,
    readonly config: C,
    protected mlp: Mlp,
  ) {}

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
