import { Worker } from 'node:worker_threads';
import { splitRange } from './split-range.js';

/** Counts hits over samples [start, start + count) of a seed, on the calling thread. */
export type RangeCounter = (seed: number, start: number, count: number) => number;

export interface RangeRequest { id: number; seed: number; start: number; count: number }
export interface RangeReply { id: number; hits?: number; error?: string }

/**
 * Splits a sample range over `threads` threads: the calling thread takes the first part and
 * threads-1 worker_threads take the rest. Because the generator is counter-based, every
 * split counts the same hits as one thread.
 */
export class RangePool {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (h: number) => void; reject: (e: Error) => void }>();

  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.on('message', (m: RangeReply) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error !== undefined) p.reject(new Error(m.error));
        else p.resolve(m.hits!);
      });
      w.on('error', (e) => this.failAll(e));
    }
  }

  /** Starts threads-1 workers running `script`, each given `init` as workerData; resolves when all are ready. */
  static async start(script: URL, threads: number, init: unknown): Promise<RangePool> {
    const workers = await Promise.all(
      Array.from({ length: threads - 1 }, () => new Promise<Worker>((resolve, reject) => {
        const w = new Worker(script, { workerData: init });
        w.once('message', (m: { ready?: boolean; error?: string }) => {
          if (m.ready) resolve(w);
          else reject(new Error(`worker failed to start: ${m.error ?? 'unknown'}`));
        });
        w.once('error', reject);
      })),
    );
    return new RangePool(workers);
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  async count(seed: number, n: number, local: RangeCounter): Promise<number> {
    const parts = splitRange(n, this.threads);
    const remote = this.workers.map((w, k) => {
      const part = parts[k + 1]!;
      const id = this.nextId++;
      const done = new Promise<number>((resolve, reject) => this.pending.set(id, { resolve, reject }));
      w.postMessage({ id, seed, start: part.start, count: part.count } satisfies RangeRequest);
      return done;
    });
    const mine = local(seed, parts[0]!.start, parts[0]!.count);
    let hits = mine;
    for (const h of await Promise.all(remote)) hits += h;
    return hits;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
