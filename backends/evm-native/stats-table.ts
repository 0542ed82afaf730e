/** `jitbench evm run --stats`: where an evm-native call spent its time, as a small table. */
import type { Fork } from '../../src/evm/fork.js';
import { callStatsSince, statsSnapshot, type CallStats, type OpcodeShare } from './call-stats.js';
import { setEvmNativeTiming } from './timing.js';

/** Rows per opcode list in the table (the JSON has them all). */
const TOP = 8;

const ms = (x: number) => `${x.toFixed(3).padStart(9)} ms`;

function opcodeRows(xs: OpcodeShare[]): string[] {
  const rows = xs.slice(0, TOP).map((x) => `    ${x.op.padEnd(14)} ${ms(x.ms ?? 0)}  ${x.count}`);
  if (xs.length > TOP) rows.push(`    (${xs.length - TOP} more opcodes)`);
  return rows;
}

/** The table printed after the normal output; `totalMs` is the whole call (message setup included). */
export function formatCallStats(s: CallStats, totalMs: number): string {
  const t = s.time!;
  const lines = [
    'stats (clock reads around each import call and exit add to these times):',
    `  total          ${ms(totalMs)}  (outside the engine: message setup and state ${ms(totalMs - t.engineMs).trim()})`,
    `  in module      ${ms(t.moduleMs)}`,
    `  compiling      ${ms(t.compileMs)}  (${s.compiled} compiled, ${s.cacheHits} cache hits)`,
    `  in imports     ${ms(t.importsMs)}  (${s.imports} host_op calls)`,
    ...opcodeRows(s.importsByOpcode),
    `  in exits       ${ms(t.exitsMs)}  (${s.exits} interpreter exit${s.exits === 1 ? '' : 's'})`,
    ...opcodeRows(s.exitsByOpcode),
    `  frames         ${s.nativeFrames} native, ${s.interpretedFrames} interpreted past the native depth, ${s.interpretedInitcode} initcode`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `--stats` for evm-native: counters and the clock switched on for one call, then the table. */
export function profileCall(): { stop(fork: Fork, totalMs: number): { stats: CallStats; table: string } } {
  const before = statsSnapshot();
  setEvmNativeTiming(true);
  return {
    stop(fork, totalMs) {
      setEvmNativeTiming(false);
      const stats = callStatsSince(before, fork, true);
      return { stats, table: formatCallStats(stats, totalMs) };
    },
  };
}
