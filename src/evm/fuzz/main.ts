/**
 * The differential fuzzer from the command line (no CLI framework):
 *
 *   node dist/src/evm/fuzz/main.js --count N --seed S [--forks a,b] [--out DIR | --no-save] [--no-minimize]
 *
 * Prints progress every 100 programs and a summary; writes each divergence, minimized, as a JSON
 * regression case (default test/fixtures/evm-regressions/). Exit 0 when the engines agree on
 * every case, 1 on a divergence, 2 on bad arguments.
 */
import { FORKS, parseFork, type Fork } from '../fork.js';
import { stopEthereumjs } from '../../../backends/ethereumjs/index.js';
import { FUZZ_FORKS, defaultRegressionDir, runFuzz, type Divergence, type FuzzReport } from './index.js';

const USAGE = 'usage: node dist/src/evm/fuzz/main.js [--count N] [--seed S] [--forks a,b,...] [--out DIR | --no-save] [--no-minimize]';

function fail(msg: string): never {
  process.stderr.write(`${msg}\n${USAGE}\n`);
  process.exit(2);
}

interface Args {
  count: number;
  seed: number;
  forks: Fork[];
  saveDir: string | undefined;
  minimize: boolean;
}

export function parseArgs(argv: string[]): Args {
  const a: Args = { count: 1000, seed: (Date.now() ^ (process.pid << 8)) >>> 0, forks: [...FUZZ_FORKS], saveDir: defaultRegressionDir(), minimize: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--count': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1) fail(`invalid --count '${v}': expected a positive integer`);
        a.count = Number(v);
        break;
      }
      case '--seed': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) fail(`invalid --seed '${v}': expected an integer in 0..4294967295`);
        a.seed = Number(v);
        break;
      }
      case '--forks': {
        const v = value();
        a.forks = v.split(',').map((f) => parseFork(f) ?? fail(`unknown fork '${f}': accepted forks are ${FORKS.join(', ')}`));
        break;
      }
      case '--out':
        a.saveDir = value();
        break;
      case '--no-save':
        a.saveDir = undefined;
        break;
      case '--no-minimize':
        a.minimize = false;
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
      // falls through (exit)
      default:
        fail(`unknown argument '${arg}'`);
    }
  }
  return a;
}

function line(d: Divergence): string {
  const where = d.file ? ` -> ${d.file}` : '';
  const detail = d.error ?? d.fields.map((f) => (f === 'threw' ? '' : `${f}: ours ${JSON.stringify(d.ours?.[f])} vs reference ${JSON.stringify(d.theirs?.[f])}`)).join('; ');
  return `DIVERGENCE program ${d.index} (${d.fork}), code ${d.originalCodeLength} -> ${d.case.preState.get(d.case.address)?.code.length ?? 0} bytes${where}\n  ${detail.slice(0, 800)}`;
}

function summary(r: FuzzReport): string {
  const known = Object.entries(r.knownEthereumjs).map(([k, n]) => `${k} x${n}`).join(', ');
  return [
    `seed ${r.seed}: ${r.programs} programs (${Object.entries(r.perFork).map(([f, n]) => `${f} ${n}`).join(', ')})`,
    `compared ${r.compared}, skipped ${r.unsupported} (unimplemented precompile), known ethereumjs deviations ${known || '0'}`,
    `${r.divergences.length} divergence${r.divergences.length === 1 ? '' : 's'} in ${(r.ms / 1000).toFixed(1)} s`,
  ].join('\n');
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  process.stdout.write(`fuzzing evm-interp against ethereumjs: ${args.count} programs, seed ${args.seed}, forks ${args.forks.join(',')}\n`);
  const report = runFuzz({
    count: args.count,
    seed: args.seed,
    forks: args.forks,
    minimize: args.minimize,
    ...(args.saveDir ? { saveDir: args.saveDir } : {}),
    onProgress: (n, r) => process.stdout.write(`  ${n}/${args.count} programs, ${r.divergences.length} divergences, ${(r.ms / 1000).toFixed(1)} s\n`),
    onDivergence: (d) => process.stdout.write(`${line(d)}\n`),
  });
  await stopEthereumjs();
  process.stdout.write(`${summary(report)}\n`);
  return report.divergences.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`fuzz: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
