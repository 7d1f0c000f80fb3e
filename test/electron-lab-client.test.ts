/** The renderer's lab seam (renderer/lab-client.ts) against a fake worker. */
import { describe, expect, it } from 'vitest';
import { WorkerLabClient, tfjsWasmBase, type LabCommand, type LabMessage, type WorkerLike } from '../renderer/lab-client.ts';

class FakeWorker implements WorkerLike {
  sent: LabCommand[] = [];
  terminated = false;
  private message: ((e: MessageEvent<LabMessage>) => void)[] = [];
  private error: ((e: ErrorEvent) => void)[] = [];
  postMessage(m: LabCommand): void {
    this.sent.push(m);
  }
  addEventListener(type: 'message' | 'error', listener: ((e: MessageEvent<LabMessage>) => void) | ((e: ErrorEvent) => void)): void {
    if (type === 'message') this.message.push(listener as (e: MessageEvent<LabMessage>) => void);
    else this.error.push(listener as (e: ErrorEvent) => void);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(m: LabMessage): void {
    this.message.forEach((l) => l({ data: m } as MessageEvent<LabMessage>));
  }
  fail(message: string): void {
    this.error.forEach((l) => l({ message } as ErrorEvent));
  }
}

describe('WorkerLabClient', () => {
  it('sends commands, forwards LabEvents and tracks the run state', () => {
    const w = new FakeWorker();
    const c = new WorkerLabClient(w);
    const states: string[] = [];
    const events: string[] = [];
    c.onState((s) => states.push(s));
    c.onEvent((e) => events.push(e.type));

    c.pause(); // nothing to pause yet
    c.start({ preset: 'classroom', wasmBase: 'http://x/tfjs-wasm/' });
    c.pause();
    c.resume();
    w.reply({ type: 'event', event: { type: 'start', experiment: 'classroom', scenario: 'duel', lineages: ['grounded', 'recursive'], generations: 10, seeds: [1] } });
    w.reply({ type: 'event', event: { type: 'progress', seed: 1, lineage: 'grounded', generation: 0, phase: 'train', done: 1, total: 4 } });
    w.reply({ type: 'event', event: { type: 'done', rows: 22 } });

    expect(w.sent.map((m) => m.type)).toEqual(['start', 'pause', 'resume']);
    expect(events).toEqual(['start', 'progress', 'done']);
    expect(states).toEqual(['running', 'paused', 'running', 'done']);
    expect(c.state).toBe('done');
  });

  it('stop asks the worker to stop; worker errors surface as failed', () => {
    const w = new FakeWorker();
    const c = new WorkerLabClient(w);
    const errors: (string | undefined)[] = [];
    c.onState((s, e) => s === 'failed' && errors.push(e));
    c.start({ preset: 'classroom', wasmBase: 'http://x/' });
    c.stop();
    expect(c.state).toBe('stopping');
    w.reply({ type: 'stopped' });
    expect(c.state).toBe('idle');
    c.start({ preset: 'classroom', wasmBase: 'http://x/' });
    w.fail('out of memory');
    expect(errors).toEqual(['out of memory']);
    c.dispose();
    expect(w.terminated).toBe(true);
  });

  it('resolves the tfjs wasm folder against the page', () => {
    expect(tfjsWasmBase('file:///opt/Driftlab/resources/app.asar/dist/renderer/index.html')).toBe('file:///opt/Driftlab/resources/app.asar/dist/renderer/tfjs-wasm/');
    expect(tfjsWasmBase('http://127.0.0.1:5173/')).toBe('http://127.0.0.1:5173/tfjs-wasm/');
  });
});
