import yargs, { type Argv } from 'yargs';
import { allFamilies, PluginError } from '../core/registry.js';
import { UsageError, oneLine } from '../util/errors.js';
import { loadStartupPlugins } from './plugins.js';
import { listCommand } from './commands/list.js';
import { reportCommand } from './commands/report.js';
import { mergeCommand } from './commands/merge.js';
import { compareCommand, DEFAULT_THRESHOLD } from './commands/compare.js';
import { DEFAULT_EVM_ENGINE, evmRunCommand, evmTestCommand } from './commands/evm.js';
import { DEFAULT_SAMPLES, FULL_SAMPLES, runCommand, type RunArgs } from './commands/run.js';

/** Exit codes: 0 ok, 1 a failure the tool found (a wrong answer, a slowdown, a failed test), 2 a usage error, 3 and 4 see src/results/verdict.ts, 130 interrupted. */
function usageExit(message: string): never {
  process.stderr.write(`jitbench: ${oneLine(message)} (see --help)\n`);
  process.exit(2);
}

function runOptions(y: Argv): Argv<RunArgs> {
  return y
    .option('scenario', { type: 'string', describe: 'scenario(s), comma-separated (default pi; see jitbench list): pi, evm:fib, evm:fact, evm:pi, evm:keccak, evm:storage, evm:erc20, evm:call, evm:sha256 (NAME@viaIR for the viaIR pipeline), evm:corpus (every scenario of the corpus of contracts from npm packages), a Solidity call evm:FILE.sol:Contract.fn(args), or a plugin\'s scenario' })
    .option('opt', { type: 'string', describe: 'optimize level(s) of backends registered in variants per level (<id>:O<level>; evm-native: binaryen 0..4, default 0), comma-separated; each level is its own backend' })
    .option('backend', { type: 'string', describe: 'backend(s), comma-separated (default: every available one; see jitbench list)' })
    .option('samples', { type: 'string', describe: `sample counts: START..END in decades or a list (default ${DEFAULT_SAMPLES})` })
    .option('full', { type: 'boolean', default: false, describe: `sweep ${FULL_SAMPLES}` })
    .option('threads', { type: 'string', default: '1', describe: 'worker threads per call, comma-separated list (e.g. 1,2)' })
    .option('forks', { default: 2, describe: 'fresh processes per cell; the spread between them is reported' })
    .option('tier', { type: 'string', default: 'default', describe: 'JIT tier preset(s): ts: jitless, no-opt, default; wasm: liftoff-only, no-liftoff, default; or all' })
    .option('v8-flags', { type: 'string', describe: 'extra V8 flags for every cell, e.g. "--max-lazy"' })
    .option('seed', { default: 12345, describe: 'generator seed (uint32)' })
    .option('shuffle-seed', { describe: 'seed of the cell order shuffle (default: random, recorded)' })
    .option('time', { default: 1000, describe: 'time budget per cell and fork in ms (warm-up + samples)' })
    .option('timeout', { default: 300, describe: 'seconds before a cell\'s child process is killed and the cell marked error' })
    .option('isolate', { type: 'string', default: 'process', choices: ['process', 'none'], describe: 'run every fork in a fresh child process, or all in this one' })
    .option('out', { type: 'string', describe: 'results file (default results/<timestamp>-<id>.json; results/latest.json is always written)' })
    .option('json', { type: 'boolean', default: false, describe: 'print the results document on stdout and nothing else there' })
    .option('csv', { type: 'string', describe: 'also write one CSV row per cell to this file' })
    .option('progress', { type: 'boolean', default: true, describe: 'progress bar on stderr (--no-progress to hide)' })
    .option('shard', { type: 'string', describe: 'run only shard i of n of the plan (e.g. 2/4); join the shards with jitbench merge' })
    .option('debug', { type: 'boolean', default: false, describe: 'log every perf_time and accuracy record on stderr' }) as unknown as Argv<RunArgs>;
}

/** Options the registered scenario families read (the EVM family: --pipeline, --code, --calldata). */
function familyOptions(y: Argv<RunArgs>): Argv<RunArgs> {
  let out = y;
  for (const f of allFamilies()) for (const [name, describe] of Object.entries(f.runOptions ?? {})) out = out.option(name, { type: 'string', describe }) as Argv<RunArgs>;
  return out;
}

/** --plugin is read before parsing (src/cli/plugins.ts); declared here for --help and strict mode. */
function pluginOption<T>(y: Argv<T>): Argv<T> {
  return y.option('plugin', { type: 'string', array: true, describe: 'plugin file(s) with your own scenarios and backends (.js, .mjs; repeatable); also read from jitbench.config.js' }) as Argv<T>;
}

/** Runs the command line with the built-in plugins the composition root names (bin/jitbench.js). */
export async function main(argv: string[], builtins: readonly string[]): Promise<void> {
  let exitCode = 0;
  try {
    await loadStartupPlugins(builtins, argv);
  } catch (e) {
    if (e instanceof PluginError || e instanceof UsageError) usageExit(e.message);
    throw e;
  }
  const cli = yargs(argv)
    .scriptName('jitbench')
    .usage('$0 <command> [options]\n\nBenchmarks JIT backends: time (perf_time) and accuracy of one workload on each.')
    .command('run', 'run a benchmark sweep and write results/latest.json; exit 1 on a wrong, disputed or suspect answer, 3 when no cell was measured, 4 when some cells errored', (y) => pluginOption(familyOptions(runOptions(y))), async (a) => {
      exitCode = await runCommand(a as unknown as RunArgs);
    })
    .command('list', 'list backends (available or not, and why) and scenarios', (y) => pluginOption(y.option('json', { type: 'boolean', default: false, describe: 'print JSON' })), async (a) => {
      await listCommand(Boolean(a.json));
    })
    .command('report [results..]', 'render results into reports/latest/: index.html, summary.md, charts (SVG, PNG, Vega-Lite)', (y) => pluginOption(y)
      .positional('results', { type: 'string', array: true, describe: 'results files (default results/latest.json)' })
      .option('out', { type: 'string', describe: 'output directory (default reports/latest)' }), async (a) => {
      exitCode = await reportCommand({ results: (a.results as string[] | undefined) ?? [], out: a.out as string | undefined });
    })
    .command('compare <base> <head>', 'compare two runs cell by cell (Mann-Whitney U on the raw samples); exit 1 on a significant slowdown beyond the threshold, 3 when a HEAD cell is wrong, disputed, suspect or errored or a cell vanished', (y) => pluginOption(y)
      .positional('base', { type: 'string', describe: 'results file of the base run' })
      .positional('head', { type: 'string', describe: 'results file of the run to judge' })
      .option('threshold', { type: 'string', default: DEFAULT_THRESHOLD, describe: 'noise threshold on the change of the median (e.g. 5% or 2.5)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the comparison as JSON on stdout and nothing else' })
      .option('markdown', { type: 'boolean', default: false, describe: 'print a Markdown table for a pull request' }), async (a) => {
      exitCode = await compareCommand({ base: a.base as string, head: a.head as string, threshold: a.threshold as string, json: Boolean(a.json), markdown: Boolean(a.markdown) });
    })
    .command('evm <command>', 'run EVM bytecode or VMTests-format conformance tests', (y) => y
      .command('run', 'execute one message call and print status, return data, gas used and time', (z) => z
        .option('code', { type: 'string', demandOption: true, describe: 'bytecode as hex (0x optional) or @FILE' })
        .option('calldata', { type: 'string', describe: 'calldata as hex or @FILE' })
        .option('engine', { type: 'string', default: DEFAULT_EVM_ENGINE, describe: 'EVM engine' })
        .option('fork', { type: 'string', describe: 'hardfork (default: the latest implemented)' })
        .option('gas', { type: 'string', default: '30000000', describe: 'gas limit (positive integer)' })
        .option('caller', { type: 'string', describe: 'caller address (default a fixed non-zero address)' })
        .option('value', { type: 'string', describe: 'call value in wei' })
        .option('json', { type: 'boolean', default: false, describe: 'print JSON on stdout' })
        .option('stats', { type: 'boolean', default: false, describe: 'evm-native only: where the call spent its time (module, host_op imports and interpreter exits by opcode, compiling); a `stats` field with --json' }), async (b) => {
        exitCode = await evmRunCommand(b as never);
      })
      .command('test <paths..>', 'run VMTests-format files; the last line is "N passed, N failed"; exit 1 on a failure', (z) => z
        .positional('paths', { type: 'string', array: true, describe: 'test files or directories' })
        .option('engine', { type: 'string', default: DEFAULT_EVM_ENGINE, describe: 'EVM engine' })
        .option('fork', { type: 'string', describe: 'hardfork (default homestead: the gas the legacy VMTests were filled with)' })
        .option('json', { type: 'boolean', default: false, describe: 'print JSON on stdout' }), async (b) => {
        exitCode = await evmTestCommand({ paths: b.paths as string[], engine: b.engine as string, fork: b.fork as string | undefined, json: Boolean(b.json) });
      })
      .demandCommand(1, 'an evm command is required: run or test'), () => {})
    .command('merge <files..>', 'join the results of jitbench run --shard i/n into one run (same plan and versions required)', (y) => pluginOption(y)
      .positional('files', { type: 'string', array: true, describe: 'shard results files' })
      .option('out', { type: 'string', demandOption: true, describe: 'merged results file' })
      .option('allow-partial', { type: 'boolean', default: false, describe: 'merge even when shards are missing (their cells are listed as skipped)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the merged document on stdout' }), async (a) => {
      exitCode = await mergeCommand({ files: a.files as string[], out: a.out as string, allowPartial: Boolean(a['allow-partial']), json: Boolean(a.json) });
    })
    .example('$0 run', `default sweep: scenario pi, every available backend, ${DEFAULT_SAMPLES}`)
    .example('$0 run --scenario pi --backend ts,wasm --samples 1e3..1e8 --forks 3', 'full sweep, 3 fresh processes per cell')
    .example('$0 run --backend wasm --tier all --threads 1,2 --samples 1e7', 'tiers and threads as dimensions')
    .example('$0 run --scenario evm:fib,evm:sha256 --pipeline legacy,viaIR', 'EVM workloads, both solc pipelines, every EVM engine')
    .example('$0 run --scenario evm:corpus --forks 1', 'the corpus of real contracts (OpenZeppelin, solady, Uniswap, ...) on every EVM engine')
    .demandCommand(1, 'a command is required: run, list, report, compare, merge or evm')
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err) => {
      if (err && !(err instanceof UsageError) && !(err instanceof PluginError)) throw err;
      usageExit(msg ?? err!.message);
    });
  try {
    await cli.parseAsync();
  } catch (e) {
    if (e instanceof UsageError || e instanceof PluginError) usageExit(e.message);
    process.stderr.write(`jitbench: error: ${oneLine(e)}\n`);
    if (process.env.JITBENCH_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  }
  process.exitCode = exitCode;
}

