import { serveRanges } from '../../src/parallel/range-worker.js';
import { segments } from '../../scenarios/monte-carlo-pi/generator.js';
import { countSegments } from './pi-kernel.js';

await serveRanges(() => (seed, start, count) => countSegments(segments(seed, start, count)));
