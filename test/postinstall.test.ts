/** npm install's postinstall step (scripts/postinstall.mjs): it brings revm's engine or says in one line why not, and never fails the install. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

/** A copy of the package's manifest and the script in a fresh directory (nothing installed there). */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-postinstall-'));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  copyFileSync(join(ROOT, 'scripts', 'postinstall.mjs'), join(dir, 'scripts', 'postinstall.mjs'));
  return dir;
}

function postinstall(dir: string, env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'JITBENCH_SKIP_POSTINSTALL'));
  return spawnSync(process.execPath, [join(dir, 'scripts', 'postinstall.mjs')], { cwd: dir, env: { ...clean, ...env }, encoding: 'utf8' });
}

test('postinstall: an unreachable registry leaves revm out with one line naming the command that adds it, and the install goes on (exit 0)', () => {
  const r = postinstall(project(), { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' });
  assert.equal(r.status, 0);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, r.stdout);
  assert.match(lines[0]!, /^jitbench: revm's engine \(@nomicfoundation\/edr\) was not installed \(.+\); .*`npm run setup:revm`$/);
});

test('postinstall: nothing to do when EDR is already installed, or when JITBENCH_SKIP_POSTINSTALL=1', () => {
  const dir = project();
  assert.deepEqual([postinstall(dir, { JITBENCH_SKIP_POSTINSTALL: '1', npm_config_registry: 'http://127.0.0.1:9/' }).status, postinstall(dir, { JITBENCH_SKIP_POSTINSTALL: '1' }).stdout], [0, '']);
  const pkg = join(dir, 'node_modules', '.cache', 'jitbench-edr', 'node_modules', '@nomicfoundation', 'edr');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), '{}');
  const r = postinstall(dir, { npm_config_registry: 'http://127.0.0.1:9/' });
  assert.deepEqual([r.status, r.stdout], [0, '']);
});
