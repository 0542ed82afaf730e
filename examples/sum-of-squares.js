// A plugin: one scenario with an exact reference answer and two backends (a plain loop, a typed array).
import { defineScenario, defineBackend } from 'jitbench';

export const sumOfSquares = defineScenario({
  id: 'sum-squares',
  description: 'sum of i*i mod 2^32 for i < n',
  sizes: [1e3, 1e5, 1e6],
  reference: ({ n }) => Number((BigInt(n - 1) * BigInt(n) * BigInt(2 * n - 1) / 6n) % 2n ** 32n),
  answer: (output) => output.value,
});

export const loop = defineBackend({
  id: 'js-loop',
  supports: ['sum-squares'],
  prepare: () => ({ n }) => {
    let s = 0;
    for (let i = 0; i < n; i++) s = (s + Math.imul(i, i)) >>> 0;
    return { n, value: s };
  },
});

export const typed = defineBackend({
  id: 'js-typed-array',
  supports: ['sum-squares'],
  prepare: (_scenario, { n }) => {
    const xs = Uint32Array.from({ length: n }, (_, i) => i); // built once: compile time
    return ({ n }) => ({ n, value: xs.reduce((s, x) => (s + Math.imul(x, x)) >>> 0, 0) });
  },
});
