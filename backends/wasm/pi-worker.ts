import { workerData } from 'node:worker_threads';
import { serveRanges } from '../../src/parallel/range-worker.js';
import { wasmRangeCounter } from './instance.js';

// workerData is the compiled WebAssembly.Module (structured-cloned, not recompiled from bytes).
await serveRanges(() => wasmRangeCounter(workerData as WebAssembly.Module));
