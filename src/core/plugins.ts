/**
 * Loading plugins: a plugin is an ES module whose exports (default or named, arrays included) are
 * definitions made with defineScenario / defineBackend (src/api), or built-in scenario families.
 * The built-in scenarios and backends are loaded the same way (scenarios/index.js, backends/index.js).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginError, registerBackend, registerScenario, registerScenarioFamily } from './registry.js';
import type { Backend, Scenario, ScenarioFamily } from './types.js';

/** Marks an object as a definition a plugin exports (set by defineScenario, defineBackend, defineScenarioFamily). */
export const DEFINITION = Symbol.for('jitbench.definition');

export type Definition =
  | (Scenario & { [DEFINITION]: 'scenario' })
  | (Backend & { [DEFINITION]: 'backend' })
  | (ScenarioFamily & { [DEFINITION]: 'family' });

function kindOf(v: unknown): Definition[typeof DEFINITION] | undefined {
  return typeof v === 'object' && v !== null ? (v as { [DEFINITION]?: Definition[typeof DEFINITION] })[DEFINITION] : undefined;
}

/** What one plugin module registered. */
export interface LoadedPlugin {
  /** The module's URL (file:...), what a cell's child process loads again. */
  url: string;
  /** How messages and `jitbench list` name it: 'built-in' or the path the user gave. */
  source: string;
  scenarios: string[];
  backends: string[];
  families: string[];
}

const loaded = new Map<string, LoadedPlugin>();

/** The definitions among a module's exports, in export order. */
function definitionsOf(mod: Record<string, unknown>): Definition[] {
  const out: Definition[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (kindOf(v) && !out.includes(v as Definition)) out.push(v as Definition);
  };
  // the default export first, then the named ones (a namespace lists them alphabetically)
  visit(mod.default);
  for (const v of Object.values(mod)) visit(v);
  return out;
}

/** Resolves a user's plugin path (relative to `cwd`) to a module URL; a missing file is a PluginError. */
export function pluginUrl(path: string, cwd = process.cwd()): string {
  if (path.startsWith('file:')) return path;
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(abs)) throw new PluginError(`plugin '${path}' not found (looked for ${abs}); a plugin is a .js, .mjs or .ts file (see README "Your own benchmark")`);
  return pathToFileURL(abs).href;
}

/**
 * Imports a plugin module and registers what it exports. `source` names it in messages (default:
 * its path relative to the working directory). Loading the same module twice registers it once.
 */
export async function loadPlugin(url: string, source?: string): Promise<LoadedPlugin> {
  const hit = loaded.get(url);
  if (hit) return hit;
  const name = source ?? relative(process.cwd(), new URL(url).pathname);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof PluginError) throw e;
    const why = (e as Error).message?.split('\n')[0] ?? String(e);
    const hint = /Unknown file extension "\.ts"/.test(why) ? ' (this Node cannot load .ts files: compile it to .js, or use Node >= 22.6 with --experimental-strip-types)' : '';
    throw new PluginError(`plugin ${name} failed to load: ${why}${hint}`);
  }
  const defs = definitionsOf(mod);
  if (defs.length === 0) {
    throw new PluginError(`plugin ${name} exports no scenario or backend: export the results of defineScenario() / defineBackend() (named or default, arrays allowed)`);
  }
  const out: LoadedPlugin = { url, source: name, scenarios: [], backends: [], families: [] };
  for (const d of defs) {
    if (d[DEFINITION] === 'family') {
      registerScenarioFamily(d, name);
      out.families.push(d.id);
      out.scenarios.push(...d.listed().map((s) => s.id));
    } else if (d[DEFINITION] === 'scenario') {
      registerScenario(d, name);
      out.scenarios.push(d.id);
    } else {
      registerBackend(d, name);
      out.backends.push(d.id);
    }
  }
  loaded.set(url, out);
  return out;
}

/** Every plugin loaded in this process, in load order. */
export function loadedPlugins(): LoadedPlugin[] {
  return [...loaded.values()];
}
