/**
 * Where @nomicfoundation/edr is installed. EDR 0.22 declares `engines: node >= 22`: npm never
 * installs an optional package whose engines do not match (even with --force), and as an
 * optional dependency of ours it also left package-lock.json out of step with npm ci on Node 20,
 * so it is not in package.json at all: `npm run setup:revm` (run by .ci/run) installs it into
 * node_modules/.cache/jitbench-edr, where it is a plain dependency (its native addon loads on
 * Node 20); an installed node_modules/@nomicfoundation/edr or JITBENCH_EDR_DIR work too.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EDR_PACKAGE = '@nomicfoundation/edr';
export const EDR_CACHE_DIR = join('node_modules', '.cache', 'jitbench-edr');

function projectRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

/** The places looked in, in order: JITBENCH_EDR_DIR, the project's node_modules, the setup:revm cache. */
function candidates(): Array<{ where: string; require: NodeJS.Require }> {
  const out: Array<{ where: string; require: NodeJS.Require }> = [];
  const env = process.env['JITBENCH_EDR_DIR'];
  if (env) out.push({ where: `JITBENCH_EDR_DIR=${env}`, require: createRequire(join(env, 'noop.js')) });
  out.push({ where: 'node_modules', require: createRequire(import.meta.url) });
  const root = projectRoot();
  if (root) out.push({ where: EDR_CACHE_DIR, require: createRequire(join(root, EDR_CACHE_DIR, 'noop.js')) });
  return out;
}

export type EdrLocation = { ok: true; where: string; require: NodeJS.Require } | { ok: false; reason: string };

/** Find EDR without loading it (resolving only). */
export function locateEdr(): EdrLocation {
  const tried: string[] = [];
  for (const c of candidates()) {
    try {
      c.require.resolve(EDR_PACKAGE);
      return { ok: true, where: c.where, require: c.require };
    } catch {
      tried.push(c.where);
    }
  }
  const major = Number(process.versions.node.split('.')[0]);
  const why =
    major < 22
      ? `it is installed apart on Node ${process.versions.node} (EDR asks for Node >= 22): run \`npm run setup:revm\``
      : 'run `npm run setup:revm`';
  return { ok: false, reason: `${EDR_PACKAGE} is not installed (looked in ${tried.join(', ')}): ${why}` };
}
