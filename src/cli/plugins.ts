/**
 * The plugins of a command: the built-in ones the composition root names (bin/jitbench.js), the
 * files of a `jitbench.config.js` in the working directory, and every `--plugin FILE`. They load
 * before the command line is parsed, because a plugin's scenario family may add run options.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPlugin, pluginUrl, type LoadedPlugin } from '../core/plugins.js';
import { PluginError } from '../core/registry.js';

export const CONFIG_FILES = ['jitbench.config.js', 'jitbench.config.mjs'];

/** The values of --plugin in raw arguments (`--plugin F`, `--plugin=F`, repeatable). */
export function pluginArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--plugin') {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new PluginError('--plugin needs a file: --plugin ./my-bench.js');
      out.push(v);
      i++;
    } else if (a.startsWith('--plugin=')) out.push(a.slice('--plugin='.length));
  }
  return out;
}

/** The plugin files a jitbench.config.js in `cwd` names (`export default { plugins: [...] }`), resolved against its folder. */
async function configPlugins(cwd: string): Promise<Array<{ path: string; source: string }>> {
  const file = CONFIG_FILES.map((f) => join(cwd, f)).find((f) => existsSync(f));
  if (!file) return [];
  let config: unknown;
  try {
    config = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  } catch (e) {
    throw new PluginError(`${file} failed to load: ${(e as Error).message.split('\n')[0]}`);
  }
  const plugins = (config as { plugins?: unknown } | undefined)?.plugins;
  if (!Array.isArray(plugins) || !plugins.every((p) => typeof p === 'string')) {
    throw new PluginError(`${file}: expected \`export default { plugins: ['./my-bench.js', ...] }\``);
  }
  return plugins.map((p: string) => ({ path: resolve(dirname(file), p), source: p }));
}

/** Loads the built-in plugins, then the config file's, then the --plugin files; returns the user's. */
export async function loadStartupPlugins(builtins: readonly string[], argv: readonly string[], cwd = process.cwd()): Promise<LoadedPlugin[]> {
  for (const url of builtins) await loadPlugin(url, 'built-in');
  const user: LoadedPlugin[] = [];
  for (const p of await configPlugins(cwd)) user.push(await loadPlugin(pluginUrl(p.path, cwd), p.source));
  for (const p of pluginArgs(argv)) user.push(await loadPlugin(pluginUrl(p, cwd), p));
  return user;
}

/** Loads the plugins a results file recorded (report, compare, merge); a missing file is noted, not fatal. */
export async function loadRecordedPlugins(recorded: ReadonlyArray<{ file: string; source: string }> | undefined): Promise<string[]> {
  const notes: string[] = [];
  for (const p of recorded ?? []) {
    if (!existsSync(p.file)) {
      notes.push(`plugin ${p.source} of the run is not at ${p.file} any more: its scenarios are judged and charted with the defaults`);
      continue;
    }
    try {
      await loadPlugin(pathToFileURL(p.file).href, p.source);
    } catch (e) {
      notes.push(`plugin ${p.source} of the run did not load: ${(e as Error).message}`);
    }
  }
  return notes;
}
