/**
 * Per-call statistics of evm-native: counters (always kept) and, when timing is on (timing.ts),
 * where the time went. Take a snapshot before the call and `callStatsSince` after it.
 */
import type { Fork } from '../../src/evm/fork.js';
import { opcodeName } from '../../src/evm/opcodes.js';
import { hostOpContext } from './host-ops.js';
import { evmNativeStats } from './index.js';
import { COMPILE, EXIT_BASE, IMPORT_BASE, MODULE, timing } from './timing.js';

export interface StatsSnapshot {
  compiled: number;
  cacheHits: number;
  nativeFrames: number;
  interpretedFrames: number;
  interpretedInitcode: number;
  exitsByOpcode: Float64Array;
  importsByOpcode: Float64Array;
  ms: Float64Array;
}

export function statsSnapshot(): StatsSnapshot {
  const s = evmNativeStats;
  return {
    compiled: s.compiled,
    cacheHits: s.cacheHits,
    nativeFrames: s.nativeFrames,
    interpretedFrames: s.interpretedFrames,
    interpretedInitcode: s.interpretedInitcode,
    exitsByOpcode: Float64Array.from(s.exitsByOpcode),
    importsByOpcode: Float64Array.from(hostOpContext.callsByOpcode),
    ms: Float64Array.from(timing.ms),
  };
}

/** One opcode's share: how many times, and (timed calls only) the milliseconds. */
export interface OpcodeShare {
  op: string;
  count: number;
  ms?: number;
}

export interface CallStats {
  compiled: number;
  cacheHits: number;
  nativeFrames: number;
  interpretedFrames: number;
  interpretedInitcode: number;
  exits: number;
  imports: number;
  /** Every opcode with at least one exit (or import), most time first when timed, else most calls first. */
  exitsByOpcode: OpcodeShare[];
  importsByOpcode: OpcodeShare[];
  /** Present when timing was on for the whole call. */
  time?: { moduleMs: number; importsMs: number; exitsMs: number; compileMs: number; engineMs: number };
}

function shares(counts: Float64Array, before: Float64Array, ms: Float64Array | undefined, fork: Fork): OpcodeShare[] {
  const out: OpcodeShare[] = [];
  for (let op = 0; op < 256; op++) {
    const count = counts[op]! - before[op]!;
    if (count > 0) out.push(ms ? { op: opcodeName(op, fork), count, ms: ms[op]! } : { op: opcodeName(op, fork), count });
  }
  return out.sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0) || b.count - a.count);
}

/** What ran since `before`; with `timed`, the time too (timing must have been on throughout). */
export function callStatsSince(before: StatsSnapshot, fork: Fork, timed = timing.on): CallStats {
  const now = statsSnapshot();
  const ms = now.ms.map((v, i) => v - before.ms[i]!);
  const exitsByOpcode = shares(now.exitsByOpcode, before.exitsByOpcode, timed ? ms.subarray(EXIT_BASE, EXIT_BASE + 256) : undefined, fork);
  const importsByOpcode = shares(now.importsByOpcode, before.importsByOpcode, timed ? ms.subarray(IMPORT_BASE, IMPORT_BASE + 256) : undefined, fork);
  const sum = (xs: OpcodeShare[], f: (x: OpcodeShare) => number) => xs.reduce((a, x) => a + f(x), 0);
  const stats: CallStats = {
    compiled: now.compiled - before.compiled,
    cacheHits: now.cacheHits - before.cacheHits,
    nativeFrames: now.nativeFrames - before.nativeFrames,
    interpretedFrames: now.interpretedFrames - before.interpretedFrames,
    interpretedInitcode: now.interpretedInitcode - before.interpretedInitcode,
    exits: sum(exitsByOpcode, (x) => x.count),
    imports: sum(importsByOpcode, (x) => x.count),
    exitsByOpcode,
    importsByOpcode,
  };
  if (timed) {
    const importsMs = sum(importsByOpcode, (x) => x.ms!);
    const exitsMs = sum(exitsByOpcode, (x) => x.ms!);
    const moduleMs = ms[MODULE]!;
    const compileMs = ms[COMPILE]!;
    stats.time = { moduleMs, importsMs, exitsMs, compileMs, engineMs: moduleMs + importsMs + exitsMs + compileMs };
  }
  return stats;
}

/** Opcode -> count of the `top` most frequent (a small map for a cell's info). */
function topCounts(xs: OpcodeShare[], top: number): Record<string, number> {
  return Object.fromEntries([...xs].sort((a, b) => b.count - a.count).slice(0, top).map((x) => [x.op, x.count]));
}

/** The counts of one call, for a cell's info: no times (a cell's timed calls never read the clock for this). */
export function perCallCounts(s: CallStats, top = 10): Record<string, unknown> {
  return {
    nativeFrames: s.nativeFrames,
    interpretedFrames: s.interpretedFrames + s.interpretedInitcode,
    exits: s.exits,
    exitsByOpcode: topCounts(s.exitsByOpcode, top),
    imports: s.imports,
    importsByOpcode: topCounts(s.importsByOpcode, top),
  };
}
