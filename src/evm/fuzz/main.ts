/**
 * The differential fuzzer from the command line (no CLI framework):
 *
 *   node dist/src/evm/fuzz/main.js --count N --seed S [--forks a,b] [--out DIR | --no-save] [--no-minimize]
 *
 * Prints progress every 100 programs and a summary; writes each divergence, minimized, as a JSON
 * regression case (default test/fixtures/evm-regressions/). Exit 0 when the engines agree on
 * every case, 1 on a divergence, 2 on bad arguments.
 */
import { ethereumjsEngine, stopEthereumjs } from '../../../backends/ethereumjs/index.js';
import { evmInterpEngine } from '../../../backends/evm-interp/index.js';
import { evmNativeEngine } from '../../../backends/evm-native/index.js';
import type { EvmEngine } from '../types.js';
import { runFuzz, type Divergence, type FuzzReport } from './index.js';
import { FuzzUsageError, USAGE, parseArgs, type FuzzEngineId } from './main-args.js';

const ENGINES: Record<FuzzEngineId, EvmEngine> = { 'evm-interp': evmInterpEngine, 'evm-native': evmNativeEngine, ethereumjs: ethereumjsEngine };

function line(d: Divergence): string {
  const where = d.file ? ` -> ${d.file}` : '';
  const detail = d.error ?? d.fields.map((f) => (f === 'threw' ? '' : `${f}: ours ${JSON.stringify(d.ours?.[f])} vs reference ${JSON.stringify(d.theirs?.[f])}`)).join('; ');
  return `DIVERGENCE program ${d.index} (${d.fork}), code ${d.originalCodeLength} -> ${d.case.preState.get(d.case.address)?.code.length ?? 0} bytes${where}\n  ${detail.slice(0, 800)}`;
}

function summary(r: FuzzReport): string {
  const known = Object.entries(r.knownEthereumjs).map(([k, n]) => `${k} x${n}`).join(', ');
  return [
    `seed ${r.seed}: ${r.programs} programs (${Object.entries(r.perFork).map(([f, n]) => `${f} ${n}`).join(', ')})`,
    `compared ${r.compared}, masked ${r.masked}${known ? ` (known ethereumjs deviation: ${known})` : ''}, skipped ${r.unsupported} (unimplemented precompile)`,
    `${r.divergences.length} divergence${r.divergences.length === 1 ? '' : 's'} in ${(r.ms / 1000).toFixed(1)} s`,
  ].join('\n');
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof FuzzUsageError)) throw err;
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  process.stdout.write(`fuzzing ${args.engine} against ${args.reference}: ${args.count} programs, seed ${args.seed}, forks ${args.forks.join(',')}\n`);
  await ENGINES[args.engine].load?.();
  await ENGINES[args.reference].load?.();
  const report = runFuzz({
    engine: ENGINES[args.engine],
    reference: ENGINES[args.reference],
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
