/**
 * `evm-native` as a harness backend: the EVM scenarios on the EVM-to-WebAssembly compiler. The
 * binaryen optimize level is a dimension: `evm-native` is -O0, `evm-native:O0` .. `evm-native:O4`
 * name the others. prepare() compiles the workload's contract, so compileMs is the compile time
 * (its phases are in the cell's info).
 */
import type { Backend } from '../../src/core/types.js';
import { packageVersion } from '../../src/util/packages.js';
import { WORKLOAD_FORK } from '../../scenarios/evm/call.js';
import { evmScenarioCode, isEvmScenario } from '../../scenarios/evm/index.js';
import { prepareEvmKernel } from '../../scenarios/evm/kernel.js';
import { runMessageCall } from '../../src/evm/message.js';
import type { MessageCall } from '../../src/evm/types.js';
import { callStatsSince, perCallCounts, statsSnapshot } from './call-stats.js';
import { compileNative, evmNativeEngine, loadEvmNative, setEvmNativeOptimizeLevel } from './index.js';

/**
 * -O0 by default: at steady state -O1..-O3 measured no faster (V8's TurboFan does that work), and
 * in a fresh process binaryen's optimizer costs 0.5-1.3 s of compile time (README "EVM-native").
 */
export const DEFAULT_OPT_LEVEL = 0;

function evmNativeBackend(level: number, named: boolean): Backend {
  return {
    id: named ? `evm-native:O${level}` : 'evm-native',
    description: `${evmNativeEngine.description}; binaryen -O${level}`,
    deterministic: true,
    inDefaultRun: !named,
    tiers: {
      default: [],
      'liftoff-only': ['--liftoff', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering'],
      'no-liftoff': ['--no-liftoff'],
    },
    async probe() {
      return { available: true, detail: `binaryen ${packageVersion('binaryen')} -O${level}, V8 ${process.versions.v8}` };
    },
    supports: (s) => isEvmScenario(s.id),
    async prepare(scenario, params) {
      const tLoad = performance.now();
      await loadEvmNative();
      const toolLoadMs = performance.now() - tLoad;
      setEvmNativeOptimizeLevel(level);
      const t0 = performance.now();
      // the called contract (the callees compile on their first call, inside the timed calls' warm-up)
      const { code } = evmScenarioCode(scenario);
      const nc = compileNative(code, WORKLOAD_FORK);
      const compile = { ...nc.phases, wasmBytes: nc.module.stats.wasmBytes, blocks: nc.module.stats.blocks, nativeBlocks: nc.module.stats.nativeBlocks, staticJumps: nc.module.stats.staticJumps, dynamicJumps: nc.module.stats.dynamicJumps, resolvedJumps: nc.module.stats.resolvedJumps, unreachedJumps: nc.module.stats.unreachedJumps, jumpAnalysisMs: nc.module.stats.jumpAnalysisMs, optimizeLevel: level };
      return prepareEvmKernel(evmNativeEngine, scenario, params, { compile, compileWallMs: performance.now() - t0, toolLoadMs }, steadyStateCounts);
    },
  };
}

/**
 * The cell's `perCall` info: one more call after the samples (modules compiled, steady state),
 * its exits and host_op calls by opcode. Counts only: the timed calls never read a clock for it.
 */
function steadyStateCounts(call: MessageCall): Record<string, unknown> {
  const before = statsSnapshot();
  runMessageCall(evmNativeEngine, call);
  return { perCall: perCallCounts(callStatsSince(before, call.fork, false)) };
}

export const evmNativeBackends: readonly Backend[] = [evmNativeBackend(DEFAULT_OPT_LEVEL, false), ...[0, 1, 2, 3, 4].map((l) => evmNativeBackend(l, true))];
