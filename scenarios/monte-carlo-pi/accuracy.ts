import { isPiOutput, type CellParams, type KernelOutput, type StatisticalAccuracy } from '../../src/core/types.js';

/** |z| above this flags a cell `suspect`: a correct kernel exceeds it with probability ~2e-9. */
export const SUSPECT_Z = 6;

/** sigma of the estimate 4*hits/n: sqrt(pi(4-pi)/n) (binomial with p = pi/4, scaled by 4). */
export function piSigma(n: number): number {
  return Math.sqrt((Math.PI * (4 - Math.PI)) / n);
}

/** Accuracy of a Monte Carlo pi answer: error against pi in units of its sampling sigma. */
export function piAccuracy(output: KernelOutput, params: CellParams): StatisticalAccuracy {
  if (!isPiOutput(output)) throw new Error('Monte Carlo pi check given an EVM answer');
  const estimate = (4 * output.hits) / params.n;
  const absError = Math.abs(estimate - Math.PI);
  const sigma = piSigma(params.n);
  const z = (estimate - Math.PI) / sigma;
  const invalid = output.n !== params.n ? `answered for n=${output.n}, asked n=${params.n}`
    : !Number.isInteger(output.hits) || output.hits < 0 || output.hits > params.n ? `hits ${output.hits} is not an integer in [0, ${params.n}]`
      : undefined;
  return { estimate, absError, sigma, z, suspect: invalid !== undefined || !(Math.abs(z) <= SUSPECT_Z), ...(invalid !== undefined ? { invalid } : {}) };
}
