/**
 * What this process knows: the scenarios, scenario families and backends that plugins registered.
 * The harness knows none of them by name; the built-in ones are plugins like a user's, registered
 * at the CLI's startup (bin/jitbench.js) and in every cell's child process (the spec lists the
 * plugin modules to load).
 */
import type { Backend, Scenario, ScenarioFamily } from './types.js';

/** Where a registration came from: 'built-in' or the plugin file. */
export type Source = string;

/** A registration that clashes with an earlier one, or a definition that cannot be used. */
export class PluginError extends Error {}

const backends = new Map<string, { backend: Backend; source: Source }>();
const scenarios = new Map<string, { scenario: Scenario; source: Source }>();
const families: Array<{ family: ScenarioFamily; source: Source }> = [];

function clash(kind: string, id: string, first: Source, second: Source): PluginError {
  return new PluginError(`duplicate ${kind} id '${id}': registered by ${first} and again by ${second}`);
}

export function registerBackend(backend: Backend, source: Source): void {
  const had = backends.get(backend.id);
  if (had) {
    if (had.backend === backend) return;
    throw clash('backend', backend.id, had.source, source);
  }
  backends.set(backend.id, { backend, source });
}

export function registerScenario(scenario: Scenario, source: Source): void {
  const had = scenarios.get(scenario.id);
  if (had) {
    if (had.scenario === scenario) return;
    throw clash('scenario', scenario.id, had.source, source);
  }
  const family = families.find((f) => f.family.owns(scenario.id));
  if (family && family.source !== source) throw new PluginError(`scenario id '${scenario.id}' (${source}) belongs to the ${family.family.id} family of ${family.source}: choose another id`);
  scenarios.set(scenario.id, { scenario, source });
}

/** A family owns ids by pattern (`evm:...`) and resolves the ones not listed. */
export function registerScenarioFamily(family: ScenarioFamily, source: Source): void {
  const had = families.find((f) => f.family.id === family.id);
  if (had) {
    if (had.family === family) return;
    throw clash('scenario family', family.id, had.source, source);
  }
  families.push({ family, source });
  for (const s of family.listed()) registerScenario(s, source);
}

/** Every registered backend, in registration order. */
export function allBackends(): Backend[] {
  return [...backends.values()].map((b) => b.backend);
}

/** Every listed scenario (a family's listed ones included), in registration order. */
export function allScenarios(): Scenario[] {
  return [...scenarios.values()].map((s) => s.scenario);
}

export function findBackend(id: string): Backend | undefined {
  return backends.get(id)?.backend;
}

/** The family whose ids include this one (registered families, then the scenario's own). */
export function familyOf(scenarioId: string): ScenarioFamily | undefined {
  return families.find((f) => f.family.owns(scenarioId))?.family ?? scenarios.get(scenarioId)?.scenario.family;
}

/**
 * A listed scenario, or one a family resolves from its id (`evm:fib@viaIR`, a user's Solidity
 * call). `caseData` is what the family's resolution in the parent recorded (CellSpec.case), so
 * a child process rebuilds the same scenario without parsing the id again.
 */
export function findScenario(id: string, caseData?: unknown): Scenario | undefined {
  const listed = scenarios.get(id)?.scenario ?? [...scenarios.values()].find((s) => s.scenario.aliases?.includes(id))?.scenario;
  if (listed) return listed;
  const family = families.find((f) => f.family.owns(id))?.family;
  return family?.resolve(id, caseData);
}

/** The file (or 'built-in') that registered a backend or scenario. */
export function sourceOfBackend(id: string): Source | undefined {
  return backends.get(id)?.source;
}
export function sourceOfScenario(id: string): Source | undefined {
  return scenarios.get(id)?.source ?? families.find((f) => f.family.owns(id))?.source;
}

/** Every registered family (for `jitbench list`'s syntax hints and aliases). */
export function allFamilies(): ScenarioFamily[] {
  return families.map((f) => f.family);
}

/** Forgets every registration (tests only). */
export function clearRegistry(): void {
  backends.clear();
  scenarios.clear();
  families.length = 0;
}
