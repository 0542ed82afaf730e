/**
 * The differential fuzzer from the command line (no CLI framework):
 *
 *   npm run fuzz -- --count N --seed S [--forks a,b] [--out DIR | --no-save] [--no-minimize]
 *
 * Prints progress every 100 programs and a summary; writes each divergence, minimized, as a JSON
 * regression case (default test/fixtures/evm-regressions/). Exit 0 when the engines agree on
 * every case, 1 on a divergence, 2 on bad arguments.
 */
import { findEvmEngine } from '../engines.js';
import type { EvmEngine } from '../types.js';
import { runFuzz, type Divergence, type FuzzReport } from './index.js';
import { FuzzUsageError, USAGE, parseArgs, type FuzzEngineId } from './main-args.js';

/** A registered engine (the composition root, bin/jitbench-fuzz.js, loaded the built-in ones). */
function engineById(id: FuzzEngineId): EvmEngine {
  const e = findEvmEngine(id);
  if (!e) throw new Error(`EVM engine '${id}' is not registered (run the fuzzer through bin/jitbench-fuzz.js)`);
  return e;
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
    `compared ${r.compared}, masked ${r.masked}${known ? ` (known ethereumjs deviation: ${known})` : ''}, skipped ${r.unsupported} (unimplemented precompile)`,
    `${r.divergences.length} divergence${r.divergences.length === 1 ? '' : 's'} in ${(r.ms / 1000).toFixed(1)} s`,
  ].join('\n');
}

/** The fuzzer's command line; the engines must be registered first (bin/jitbench-fuzz.js). */
export async function fuzzMain(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
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
  const engine = engineById(args.engine);
  const reference = engineById(args.reference);
  await engine.load?.();
  await reference.load?.();
  const report = runFuzz({
    engine,
    reference,
    count: args.count,
    seed: args.seed,
    forks: args.forks,
    minimize: args.minimize,
    ...(args.saveDir ? { saveDir: args.saveDir } : {}),
    onProgress: (n, r) => process.stdout.write(`  ${n}/${args.count} programs, ${r.divergences.length} divergences, ${(r.ms / 1000).toFixed(1)} s\n`),
    onDivergence: (d) => process.stdout.write(`${line(d)}\n`),
  });
  await engine.close?.();
  await reference.close?.();
  process.stdout.write(`${summary(report)}\n`);
  return report.divergences.length > 0 ? 1 : 0;
}
