/** Registers the built-in plugins in a test's process, as bin/jitbench.js does for the CLI. */
import { loadPlugin } from '../src/core/plugins.js';
import { findScenario } from '../src/core/registry.js';
import type { Scenario } from '../src/core/types.js';

export const BUILTIN_PLUGINS = ['../scenarios/index.js', '../backends/index.js'].map((p) => new URL(p, import.meta.url).href);
for (const url of BUILTIN_PLUGINS) await loadPlugin(url, 'built-in');

/** A built-in scenario by id (listed or resolved by its family); throws when there is none. */
export function scenario(id: string): Scenario {
  const s = findScenario(id);
  if (!s) throw new Error(`no scenario '${id}'`);
  return s;
}
