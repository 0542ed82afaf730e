/**
 * The built-in scenarios, as a plugin like a user's: Monte Carlo pi, and the EVM family (the
 * Solidity workloads, the corpus of real contracts, a user's Solidity call or bytecode).
 */
export { monteCarloPi } from './monte-carlo-pi/index.js';
export { evmFamily } from './evm/family.js';
