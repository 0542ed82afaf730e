/**
 * jitbench's public API (`import { ... } from 'jitbench'`): the metric decorators for a kernel's
 * entry point, and the definitions a plugin exports. See README "Your own benchmark".
 */
export { perfTime, accuracy } from '../metrics/decorators.js';
export { defineScenario, defineBackend } from './define.js';
export type { ScenarioDefinition, BackendDefinition, KernelFunction, StatisticalRule, Answer } from './define.js';
export type {
  Accuracy, Backend, CellParams, ChartKind, ExactAccuracy, Kernel, KernelOutput, Probe, Scenario, StatisticalAccuracy,
} from '../core/types.js';
