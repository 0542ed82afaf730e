/**
 * The import direction of the layers (issue 13): the harness (src/) knows no scenario or backend;
 * inside src/ each folder imports only the layers below it; the EVM library (src/evm) knows
 * nothing of the harness; backends and scenarios use the harness's library layers, never its
 * command line or runner. Fails naming each import that crosses a layer the wrong way.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import test from 'node:test';
import { ROOT } from './helpers.js';

/** What each folder of src/ may import besides itself. */
const SRC_LAYERS: Record<string, readonly string[]> = {
  types: [],
  util: [],
  core: ['util'],
  evm: ['util'],
  parallel: ['util'],
  metrics: ['util', 'core'],
  api: ['util', 'core', 'metrics'],
  plan: ['util', 'core'],
  results: ['util', 'core', 'metrics', 'plan'],
  run: ['util', 'core', 'metrics', 'plan', 'results'],
  report: ['util', 'core', 'metrics', 'plan', 'results'],
  cli: ['util', 'core', 'evm', 'metrics', 'api', 'plan', 'results', 'run', 'report'],
};
/** Harness internals that plugins (backends/, scenarios/) must not reach into. */
const NOT_FOR_PLUGINS = ['src/cli', 'src/run', 'src/report'];

export interface Import { from: string; to: string }

/** Relative imports of every .ts file under the given top-level folders, as repo-relative paths. */
function importsOf(roots: string[]): Import[] {
  const out: Import[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) {
        const text = readFileSync(p, 'utf8');
        const re = /(?:^|\n)\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
        for (const m of text.matchAll(re)) {
          const spec = (m[1] ?? m[2])!;
          out.push({ from: relative(ROOT, p), to: relative(ROOT, resolve(dirname(p), spec)) });
        }
      }
    }
  };
  for (const r of roots) walk(join(ROOT, r));
  return out;
}

/** The layer of a repo-relative path: 'src/<folder>' inside src, else the top-level folder. */
function layerOf(path: string): string {
  const [top, sub] = path.split('/');
  return top === 'src' ? `src/${sub}` : top!;
}

/** Imports that cross a layer the wrong way, as 'from -> to (why)'. */
export function layerViolations(imports: readonly Import[]): string[] {
  const bad: string[] = [];
  for (const { from, to } of imports) {
    const a = layerOf(from);
    const b = layerOf(to);
    if (a === b) continue;
    let why: string | undefined;
    if (a.startsWith('src/')) {
      if (!b.startsWith('src/')) why = 'the harness imports nothing outside src/ (backends and scenarios are plugins)';
      else if (!(SRC_LAYERS[a.slice(4)] ?? []).includes(b.slice(4))) why = `${a} may import ${(SRC_LAYERS[a.slice(4)] ?? []).map((l) => `src/${l}`).join(', ') || 'nothing else'}`;
    } else if ((a === 'backends' || a === 'scenarios') && NOT_FOR_PLUGINS.includes(b)) why = 'plugins use the library layers, not the command line, runner or report';
    if (why) bad.push(`${from} -> ${to} (${why})`);
  }
  return bad;
}

test('no import crosses a layer the wrong way', () => {
  const imports = importsOf(['src', 'backends', 'scenarios']);
  assert.ok(imports.length > 500, `found the imports (${imports.length})`);
  assert.deepEqual(layerViolations(imports), []);
});

test('the layer check flags imports that point the wrong way', () => {
  assert.deepEqual(layerViolations([
    { from: 'src/core/registry.ts', to: 'backends/ts/index.js' },
    { from: 'src/results/compare.ts', to: 'src/cli/table.js' },
    { from: 'src/evm/engines.ts', to: 'src/core/types.js' },
    { from: 'scenarios/evm/kernel.ts', to: 'src/run/measure-fork.js' },
    { from: 'src/cli/main.ts', to: 'src/run/child.js' },
    { from: 'backends/ts/index.ts', to: 'src/metrics/decorators.js' },
  ]).map((v) => v.split(' (')[0]), [
    'src/core/registry.ts -> backends/ts/index.js',
    'src/results/compare.ts -> src/cli/table.js',
    'src/evm/engines.ts -> src/core/types.js',
    'scenarios/evm/kernel.ts -> src/run/measure-fork.js',
  ]);
});
