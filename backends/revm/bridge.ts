/**
 * A synchronous call into an asynchronous worker thread: post the request, block on Atomics.wait
 * until the worker raises the shared flag, take the answer with receiveMessageOnPort. (The same
 * scheme as backends/ethereumjs/index.ts, kept separate so neither engine depends on the other.)
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

export class SyncWorker<Req, Res extends { fatal?: string }> {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private flag: Int32Array | undefined;

  constructor(
    private readonly url: URL,
    private readonly name: string,
    private readonly timeoutEnv: string,
  ) {}

  private start(): void {
    const sab = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    const w = new Worker(this.url, { workerData: { port: port2, flag: sab }, transferList: [port2] });
    // the process may exit with the worker idle
    w.unref();
    port1.unref();
    this.worker = w;
    this.port = port1;
    this.flag = new Int32Array(sab);
  }

  /** Send `req` and wait for the answer; a worker-side failure (`fatal`) is thrown here. */
  call(req: Req): Res {
    if (!this.worker) this.start();
    const port = this.port!;
    const flag = this.flag!;
    Atomics.store(flag, 0, 0);
    port.postMessage(req);
    const limitMs = Number(process.env[this.timeoutEnv] ?? 600_000);
    const t0 = Date.now();
    for (;;) {
      Atomics.wait(flag, 0, 0, 1000);
      const got = receiveMessageOnPort(port);
      if (got) {
        const res = got.message as Res;
        if (res.fatal !== undefined) throw new Error(`${this.name}: ${res.fatal}`);
        return res;
      }
      if (Atomics.load(flag, 0) === 2) {
        this.worker = undefined;
        throw new Error(`${this.name}: the worker exited without an answer`);
      }
      if (Date.now() - t0 > limitMs) {
        void this.worker?.terminate();
        this.worker = undefined;
        throw new Error(`${this.name}: no answer after ${limitMs} ms (${this.timeoutEnv})`);
      }
    }
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
