/**
 * The built-in scenarios, as a plugin like a user's: Monte Carlo pi, and the EVM family (the
 * Solidity workloads, the corpus of real contracts, a user's Solidity call or bytecode).
 */
import type { Scenario, ScenarioFamily } from '../src/core/types.js';
import { evmFamily } from './evm/family.js';
import { monteCarloPi } from './monte-carlo-pi/index.js';

/** In display order. */
const builtinScenarios: Array<Scenario | ScenarioFamily> = [monteCarloPi, evmFamily];
export default builtinScenarios;
