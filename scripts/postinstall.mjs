/**
 * npm install's last step: install revm's engine (@nomicfoundation/edr) apart, as `npm run
 * setup:revm` does, so the two quick-start commands bring all four EVM engines. EDR asks for
 * Node >= 22, so it cannot be a dependency of ours on Node 20 (backends/revm/locate.ts). This step
 * never fails the install: when it cannot install EDR it says so in one line, and the revm backend
 * reports itself unavailable with the command that adds it. JITBENCH_SKIP_POSTINSTALL=1 skips it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const installed = join(root, 'node_modules', '.cache', 'jitbench-edr', 'node_modules', '@nomicfoundation', 'edr', 'package.json');

if (process.env['JITBENCH_SKIP_POSTINSTALL'] === '1' || existsSync(installed)) process.exit(0);
// the npm that runs this script (npm_execpath), else the one on PATH
const npm = process.env['npm_execpath'];
const [cmd, args] = npm ? [process.execPath, [npm, 'run', 'setup:revm', '--silent']] : ['npm', ['run', 'setup:revm', '--silent']];
const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (r.status === 0 && existsSync(installed)) {
  process.stdout.write('jitbench: installed revm\'s engine (@nomicfoundation/edr) into node_modules/.cache/jitbench-edr\n');
} else {
  const why = r.error ? r.error.message : `npm exited with ${r.status ?? r.signal}${r.stderr ? `: ${r.stderr.trim().split('\n').pop()}` : ''}`;
  process.stdout.write(`jitbench: revm's engine (@nomicfoundation/edr) was not installed (${why}); the revm backend will say it is unavailable; retry with \`npm run setup:revm\`\n`);
}
