import type { Scenario } from '../../src/core/types.js';
import { piAccuracy } from './accuracy.js';
import { PI_REFERENCE_MAX_N, referenceHits } from './reference.js';

export const monteCarloPi: Scenario = {
  id: 'pi',
  description: 'Monte Carlo pi: n points in the unit square from the counter-based generator, 4*hits/n',
  check: piAccuracy,
  reference: ({ n, seed }) => referenceHits(seed, n),
  referenceMaxN: PI_REFERENCE_MAX_N,
};
