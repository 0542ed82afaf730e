import { DEFINITION } from '../../src/core/plugins.js';
import { isPiOutput, type Scenario } from '../../src/core/types.js';
import { piAccuracy, piSigma } from './accuracy.js';
import { PI_REFERENCE_MAX_N, referenceHits } from './reference.js';

const hitsOf = (o: Parameters<NonNullable<Scenario['answerKey']>>[0]): string => (isPiOutput(o) ? String(o.hits) : 'no hit count');

/** Monte Carlo pi: a statistical answer (z-score) and, for exact backends, the exact hit count of the generator's spec. */
export const monteCarloPi: Scenario & { [DEFINITION]: 'scenario' } = {
  [DEFINITION]: 'scenario',
  id: 'pi',
  aliases: ['monte-carlo-pi'],
  description: 'Monte Carlo pi: n points in the unit square from the counter-based generator, 4*hits/n',
  check: piAccuracy,
  reference: ({ n, seed }) => referenceHits(seed, n),
  referenceMaxN: PI_REFERENCE_MAX_N,
  answerKey: hitsOf,
  answerFields: ['hits'],
  expectedFields: (key) => ({ expectedHits: Number(key) }),
  columns: { hits: (o) => (isPiOutput(o) ? o.hits : undefined) },
  charts: ['time-vs-n', 'error-vs-n', 'tradeoff', 'speedup', 'phases', 'warmup'],
  sigma: piSigma,
  report: { speedupBaseline: 'ts' },
};
