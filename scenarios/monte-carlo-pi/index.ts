import type { Scenario } from '../../src/core/types.js';
import { piAccuracy } from './accuracy.js';

export const monteCarloPi: Scenario = {
  id: 'pi',
  description: 'Monte Carlo pi: n points in the unit square from the counter-based generator, 4*hits/n',
  check: piAccuracy,
};
