import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { activate, resume, run, SUSPEND, YIELD } from '../backends/evm-interp/interpreter.js';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { compileNative, evmNativeEngine, loadEvmNative } from '../backends/evm-native/index.js';
import { corpusScenarioIds } from '../scenarios/evm/corpus/index.js';
import { resolveEvmCase } from '../scenarios/evm/index.js';
import { codeAnalysis } from '../src/evm/analysis.js';
import { assemble } from '../src/evm/asm.js';
import { bytesToHex, hexToBytes } from '../src/evm/hex.js';
import { jumpTargets, type JumpTargetOptions, summarizeJumpTargets } from '../src/evm/jump-targets.js';
import { runMessageCall } from '../src/evm/message.js';
import type { CallResult, EvmEngine, MessageCall } from '../src/evm/types.js';
import type { Fork } from '../src/evm/fork.js';
import { toMessageCall } from '../src/evm/fuzz/case.js';
import { FUZZ_FORKS, FuzzGenerator } from '../src/evm/fuzz/generator.js';
import { Rng } from '../src/evm/fuzz/rng.js';

before(loadEvmNative);

const FORK = 'cancun';
const A = '0x' + 'aa'.repeat(20);
const C = '0x' + 'cc'.repeat(20);

/** The analysis of assembled code, and the pc of each label (labels assemble to JUMPDESTs). */
function analyse(src: string, options: JumpTargetOptions = {}) {
  const code = assemble(src);
  const jt = jumpTargets(code, codeAnalysis(code, FORK), options);
  return { code, jt, summary: summarizeJumpTargets(jt) };
}
/** pcs of the JUMPDESTs in order, and of the JUMP / JUMPI instructions in order (push data skipped). */
function pcsOf(code: Uint8Array): { dests: number[]; jumps: number[] } {
  const dests: number[] = [];
  const jumps: number[] = [];
  for (let pc = 0; pc < code.length; pc++) {
    const op = code[pc]!;
    if (op === 0x5b) dests.push(pc);
    if (op === 0x56 || op === 0x57) jumps.push(pc);
    if (op >= 0x60 && op <= 0x7f) pc += op - 0x5f;
  }
  return { dests, jumps };
}

// f(x): drops its argument and returns to the address below it; called from two places
const TWO_CALLS = `
  @ret1 PUSH1 5 @f JUMP
  ret1: @ret2 PUSH1 6 @f JUMP
  ret2: STOP
  f: POP JUMP`;

test('jump targets: a function called from two places returns to exactly those two, with or without summaries', () => {
  for (const summaryAfter of [0, 1, 2, 8]) {
    const { code, jt, summary } = analyse(TWO_CALLS, { summaryAfter });
    const { dests, jumps } = pcsOf(code);
    const [ret1, ret2] = dests;
    assert.equal(jt.complete, true);
    assert.deepEqual(jt.dynamic, [jumps[2]], 'the return is the one jump on a target not pushed in its block');
    assert.deepEqual(jt.targets.get(jumps[2]!), [ret1, ret2], `summaryAfter ${summaryAfter}`);
    assert.deepEqual(summary, { dynamic: 1, resolved: 1, unresolved: 0, unreached: 0 });
  }
});

test('jump targets: more destinations than maxTargets is unresolved', () => {
  const { jt, code } = analyse(TWO_CALLS, { maxTargets: 1 });
  assert.equal(jt.targets.get(pcsOf(code).jumps[2]!), null);
  assert.deepEqual(summarizeJumpTargets(jt), { dynamic: 1, resolved: 0, unresolved: 1, unreached: 0 });
  // nine call sites: past the default of 8
  const calls = Array.from({ length: 9 }, (_, i) => `@r${i} @f JUMP r${i}:`).join(' ');
  const nine = analyse(`${calls} STOP f: JUMP`);
  assert.equal(nine.jt.targets.get(pcsOf(nine.code).jumps[9]!), null);
  const all = analyse(`${calls} STOP f: JUMP`, { maxTargets: 9 });
  assert.equal(all.jt.targets.get(pcsOf(all.code).jumps[9]!)?.length, 9);
});

test('jump targets: a jump on a value from calldata or memory is unresolved, and then nothing that any JUMPDEST could reach is proven', () => {
  for (const load of ['PUSH0 CALLDATALOAD', 'PUSH0 MLOAD']) {
    // the unknown jump could land in f with any stack, so f's return is not proven either
    const { code, jt } = analyse(`${TWO_CALLS.replace('ret2: STOP', `ret2: ${load} JUMP`)}`);
    const { jumps } = pcsOf(code);
    assert.equal(jt.targets.get(jumps[2]!), null, `${load} JUMP`);
    assert.equal(jt.targets.get(jumps[3]!), null, 'f returns to anywhere');
    assert.deepEqual(summarizeJumpTargets(jt), { dynamic: 2, resolved: 0, unresolved: 2, unreached: 0 });
  }
  // an unreachable unknown jump changes nothing
  const dead = analyse(`${TWO_CALLS} never: PUSH0 CALLDATALOAD JUMP`);
  assert.deepEqual(summarizeJumpTargets(dead.jt), { dynamic: 2, resolved: 1, unresolved: 0, unreached: 1 });
});

test('jump targets: a loop that calls a function, a recursion that grows the stack, a masked function pointer', () => {
  // loop: for (c = 10; c != 0; c--) f(c)
  const loop = analyse(`PUSH1 10
    loop: @back DUP2 @f JUMP
    back: PUSH1 1 SWAP1 SUB DUP1 @loop JUMPI STOP
    f: POP JUMP`);
  const l = pcsOf(loop.code);
  assert.equal(loop.jt.complete, true);
  assert.deepEqual(loop.jt.targets.get(l.jumps[2]!), [l.dests[1]]);
  // f recurses while calldata word 0 is zero: every return goes to `after` or `done`, however deep
  const rec = analyse(`@done @f JUMP
    done: STOP
    f: PUSH0 CALLDATALOAD @base JUMPI @after @f JUMP
    after: JUMP
    base: JUMP`);
  const r = pcsOf(rec.code);
  const [done, , after] = r.dests;
  assert.equal(rec.jt.complete, true);
  assert.deepEqual(rec.jt.targets.get(r.jumps[3]!), [done, after], 'after: JUMP');
  assert.deepEqual(rec.jt.targets.get(r.jumps[4]!), [done, after], 'base: JUMP');
  // an internal function pointer passed as an argument, masked before the jump (legacy solc)
  const ptr = analyse(`@ret @g @call JUMP
    ret: STOP
    call: PUSH4 0xffffffff AND JUMP
    g: JUMP`);
  const p = pcsOf(ptr.code);
  assert.deepEqual(ptr.jt.targets.get(p.jumps[1]!), [p.dests[2]], 'the masked pointer is g');
  assert.deepEqual(ptr.jt.targets.get(p.jumps[2]!), [p.dests[0]], 'g returns to ret');
});

test('jump targets: a condition known to be zero or nonzero prunes the side not taken (solc\'s PUSH1 1 .. JUMPI, a call\'s success)', () => {
  // reached with 1: JUMPI always jumps; the fall-through would return to a stack of another shape
  const one = analyse(`@ret PUSH1 1 @tail JUMP
    ret: STOP
    tail: @jumped JUMPI JUMP
    jumped: JUMP`);
  const o = pcsOf(one.code);
  assert.equal(one.jt.targets.get(o.jumps[2]!), undefined, 'the fall-through JUMP is never reached');
  assert.deepEqual(one.jt.targets.get(o.jumps[3]!), [o.dests[0]]);
  // DUP1 ISZERO .. JUMPI: where it jumps, the tested value is zero, so the later JUMPI on it
  // falls through (else `ok` would also jump to `ret`)
  const success = analyse(`@ret PUSH0 CALLDATALOAD DUP1 ISZERO @failed JUMPI
    POP @ret2 PUSH1 1
    failed: @ok JUMPI JUMP
    ok: JUMP
    ret2: JUMP
    ret: STOP`);
  const s = pcsOf(success.code);
  const [, , ret2, ret] = s.dests;
  assert.deepEqual(success.jt.targets.get(s.jumps[2]!), [ret], 'failure: falls through, returns');
  assert.deepEqual(success.jt.targets.get(s.jumps[3]!), [ret2], 'success: ok goes to ret2 only');
  assert.deepEqual(success.jt.targets.get(s.jumps[4]!), [ret]);
});

test('jump targets: 0 is a destination when pc 0 is a JUMPDEST, and a bad jump otherwise', () => {
  // ISZERO(1) is 0: the JUMP goes to pc 0 (a JUMPDEST) and loops until the gas runs out
  const loop = analyse(`top: PUSH1 1 ISZERO JUMP`);
  assert.deepEqual(loop.jt.targets.get(pcsOf(loop.code).jumps[0]!), [0]);
  const bad = analyse(`PUSH1 1 ISZERO JUMP`);
  assert.deepEqual(bad.jt.targets.get(pcsOf(bad.code).jumps[0]!), [], 'reached, and halts');
});

test('jump targets: the work budget bounds a hostile program, and an analysis cut short proves nothing', () => {
  // 500 call sites of one function, each also jumped to from a loop: many entry stacks
  const calls = Array.from({ length: 500 }, (_, i) => `@r${i} PUSH0 CALLDATALOAD @f JUMPI r${i}:`).join(' ');
  const src = `${calls} STOP f: JUMP`;
  const cut = analyse(src, { workCap: 1000 });
  assert.equal(cut.jt.complete, false);
  assert.equal(cut.jt.targets.size, 0);
  assert.ok(cut.jt.work < 1000 + 5000, `stopped soon after the cap (${cut.jt.work})`);
  const full = analyse(src, { maxTargets: 1000 });
  assert.equal(full.jt.complete, true);
  assert.equal(full.jt.targets.get(pcsOf(full.code).jumps.at(-1)!)?.length, 500);
});

/**
 * An engine that runs each frame on the interpreter one block at a time and records, by code,
 * where every JUMP / JUMPI that jumped went.
 */
function tracingEngine(taken: Map<Uint8Array, Map<number, Set<number>>>): EvmEngine {
  const engine: EvmEngine = {
    id: 'jump-trace',
    description: 'evm-interp block by block, recording the jumps taken',
    execute(frame, host) {
      const an = codeAnalysis(frame.code, host.table.fork);
      let byPc = taken.get(frame.code);
      if (!byPc) taken.set(frame.code, (byPc = new Map()));
      const act = activate(frame);
      act.singleBlock = true;
      for (;;) {
        const from = act.pc;
        const r = run(act, host);
        if (r === SUSPEND) {
          resume(act, host, engine.execute(act.child!, host));
          continue;
        }
        if (r !== YIELD) return r;
        // the block that started at `from`: its last instruction, and whether it jumped
        let last = from;
        let end = from;
        do {
          last = end;
          const op = an.dispatch[end]!;
          end += op >= 0x60 && op <= 0x7f ? op - 0x5e : 1;
        } while (end < frame.code.length && an.blockStart[end] !== 1);
        const op = an.dispatch[last]!;
        if (op === 0x56 || (op === 0x57 && act.pc !== end)) {
          let dests = byPc.get(last);
          if (!dests) byPc.set(last, (dests = new Set()));
          dests.add(act.pc);
        }
      }
    },
  };
  return engine;
}

/**
 * Every jump taken (by code) against the analysis of that code: a reached jump has an entry, and
 * where it has destinations the one taken is among them. Returns the dynamic jumps checked and
 * how many of them had proven destinations.
 */
function checkTaken(taken: Map<Uint8Array, Map<number, Set<number>>>, fork: Fork, options: JumpTargetOptions = {}): { checked: number; proven: number } {
  let checked = 0;
  let proven = 0;
  for (const [code, byPc] of taken) {
    const jt = jumpTargets(code, codeAnalysis(code, fork), { maxTargets: Infinity, ...options });
    if (!jt.complete) continue;
    const dynamic = new Set(jt.dynamic);
    for (const [pc, dests] of byPc) {
      const t = jt.targets.get(pc);
      assert.notEqual(t, undefined, `pc ${pc} of ${bytesToHex(code)}: taken, so reached`);
      if (t) for (const d of dests) assert.ok(t.includes(d), `pc ${pc} of ${bytesToHex(code)}: jumped to ${d}, proven ${t.join(',')}`);
      if (dynamic.has(pc)) {
        checked++;
        if (t) proven++;
      }
    }
  }
  return { checked, proven };
}

test('jump targets are sound on the corpus: every jump a run of every workload takes goes to one of its proven destinations', () => {
  const taken = new Map<Uint8Array, Map<number, Set<number>>>();
  const engine = tracingEngine(taken);
  for (const id of corpusScenarioIds()) {
    const call = resolveEvmCase(id).load().call(3, 7);
    const traced = runMessageCall(engine, call);
    assert.equal(bytesToHex(traced.returnData), bytesToHex(runMessageCall(evmInterpEngine, call).returnData), `${id}: the tracing engine computes the same`);
  }
  const { checked, proven } = checkTaken(taken, FORK);
  assert.ok(checked >= 250, `${checked} dynamic jumps taken and checked`);
  assert.equal(proven, checked, 'every dynamic jump the corpus takes has proven destinations');
});

/**
 * A random program with solc's shape: functions f0..fN-1 that take a return address and a value x
 * and return x', called directly, through masked function pointers, in loops and under
 * conditions on the calldata, with the call-success check (DUP1 ISZERO .. JUMPI).
 */
function randomProgram(rng: Rng): string {
  const fns = rng.range(2, 7);
  let label = 0;
  const fresh = () => `l${label++}`;
  /** Statements on [.. ret, x] that leave [.. ret, x'] (function j may call only later ones). */
  const stmts = (j: number, depth: number): string => {
    const out: string[] = [];
    for (let i = rng.range(1, 4); i > 0; i--) {
      const callee = j + 1 < fns ? rng.range(j + 1, fns - 1) : -1;
      const kind = rng.range(0, depth >= 2 ? 2 : 5);
      if (kind === 0) out.push(`PUSH1 ${rng.range(0, 255)} ADD`);
      else if (kind === 1 && callee >= 0) {
        const r = fresh();
        out.push(`@${r} SWAP1 @f${callee} JUMP ${r}:`);
      } else if (kind === 2 && callee >= 0) {
        const r = fresh();
        out.push(`@f${callee} PUSH4 0xffffffff AND @${r} SWAP2 SWAP1 JUMP ${r}:`);
      } else if (kind === 3) {
        const [other, end] = [fresh(), fresh()];
        out.push(`PUSH0 CALLDATALOAD PUSH1 ${rng.range(0, 250)} SHR PUSH1 1 AND @${other} JUMPI ${stmts(j, depth + 1)} @${end} JUMP ${other}: ${stmts(j, depth + 1)} ${end}:`);
      } else if (kind === 4) {
        const loop = fresh();
        out.push(`PUSH1 ${rng.range(1, 3)} ${loop}: SWAP1 ${stmts(j, depth + 1)} SWAP1 PUSH1 1 SWAP1 SUB DUP1 @${loop} JUMPI POP`);
      } else {
        const z = fresh();
        out.push(`DUP1 ISZERO @${z} JUMPI PUSH1 1 ADD ${z}:`);
      }
    }
    return out.join(' ');
  };
  const body = [`PUSH0 PUSH0 CALLDATALOAD ${stmts(-1, 0)} PUSH0 MSTORE POP PUSH1 32 PUSH0 RETURN`];
  for (let j = 0; j < fns; j++) body.push(`f${j}: ${stmts(j, 0)} SWAP1 JUMP`);
  return body.join('\n');
}

test('jump targets are sound on 150 random programs of solc\'s shape (calls, pointers, loops, conditions), whatever summaryAfter', () => {
  const rng = new Rng(20261203);
  let checked = 0;
  let proven = 0;
  for (let i = 0; i < 150; i++) {
    const src = randomProgram(rng);
    for (let run = 0; run < 2; run++) {
      const taken = new Map<Uint8Array, Map<number, Set<number>>>();
      const c = { ...call(src), gasLimit: 30_000_000, calldata: hexToBytes(hex32(rng.bits(256))) };
      const traced = runMessageCall(tracingEngine(taken), c);
      assert.deepEqual(view(traced), view(runMessageCall(evmInterpEngine, c)), `program ${i}: the tracing engine computes the same`);
      assert.equal(traced.status, 'success', `program ${i} runs to its RETURN`);
      for (const summaryAfter of [0, 2, 100]) {
        const r = checkTaken(taken, FORK, { summaryAfter });
        assert.equal(r.proven, r.checked, `program ${i}, summaryAfter ${summaryAfter}: every dynamic jump taken is proven\n${src}`);
        if (summaryAfter === 2) {
          checked += r.checked;
          proven += r.proven;
        }
      }
    }
  }
  assert.ok(checked >= 500, `${checked} dynamic jumps taken and checked`);
});

test('jump targets are sound on 400 fuzz programs (random jumps, calls, 8 forks): every jump taken is among the proven destinations', () => {
  const gen = new FuzzGenerator(new Rng(20261203));
  for (let i = 0; i < 400; i++) {
    const c = gen.nextCase(FUZZ_FORKS[i % FUZZ_FORKS.length]!);
    const taken = new Map<Uint8Array, Map<number, Set<number>>>();
    const traced = runMessageCall(tracingEngine(taken), toMessageCall(c));
    assert.deepEqual(view(traced), view(runMessageCall(evmInterpEngine, toMessageCall(c))), `program ${i}: the tracing engine computes the same`);
    checkTaken(taken, c.fork);
  }
});

test('jump targets on the large solc contracts of the corpus: nearly every dynamic jump resolved', () => {
  const counts = (id: string) => {
    const { code } = resolveEvmCase(id).load();
    return summarizeJumpTargets(jumpTargets(code, codeAnalysis(code, FORK)));
  };
  // the rest have more than 8 destinations (all have a proven set: see the soundness test)
  assert.deepEqual(counts('evm:oz-governor'), { dynamic: 114, resolved: 104, unresolved: 7, unreached: 3 });
  assert.deepEqual(counts('evm:oz-governor@viaIR'), { dynamic: 137, resolved: 131, unresolved: 2, unreached: 4 });
  const pool = resolveEvmCase('evm:univ3-swap').load().others.find((o) => o.runtime.length === 22142)?.runtime ?? new Uint8Array(0);
  assert.deepEqual(summarizeJumpTargets(jumpTargets(pool, codeAnalysis(pool, FORK))), { dynamic: 69, resolved: 65, unresolved: 4, unreached: 0 });
});

const hex32 = (v: bigint) => '0x' + v.toString(16).padStart(64, '0');
const call = (src: string): MessageCall => ({ fork: FORK, code: assemble(src), caller: C, address: A, gasLimit: 1_000_000 });
const view = (r: CallResult) => ({ status: r.status, haltReason: r.haltReason, returnData: bytesToHex(r.returnData), gasUsed: r.gasUsed });

test('evm-native: a resolved return compares with its destinations and jumps straight there; results equal the interpreter', () => {
  // f(x) = x + 1, called twice; the results are returned
  const src = `@ret1 PUSH1 5 @f JUMP
    ret1: @ret2 PUSH1 41 @f JUMP
    ret2: ADD PUSH0 MSTORE PUSH1 32 PUSH0 RETURN
    f: PUSH1 1 ADD SWAP1 JUMP`;
  const c = call(src);
  const nc = compileNative(assemble(src), FORK);
  assert.equal(nc.module.stats.dynamicJumps, 1);
  assert.equal(nc.module.stats.resolvedJumps, 1);
  const native = runMessageCall(evmNativeEngine, c);
  assert.deepEqual(view(native), view(runMessageCall(evmInterpEngine, c)));
  assert.equal(BigInt(bytesToHex(native.returnData)), 48n);
  // a return through a calldata-loaded address: unresolved, through the table, same outcome
  for (const target of [4n, 3n, (1n << 200n) + 4n]) {
    // pc 4 is the JUMPDEST, pc 3 the STOP
    const viaCalldata = `PUSH0 CALLDATALOAD JUMP STOP JUMPDEST PUSH1 9 PUSH0 MSTORE PUSH1 32 PUSH0 RETURN`;
    const u = { ...call(viaCalldata), calldata: hexToBytes(hex32(target)) };
    assert.equal(compileNative(assemble(viaCalldata), FORK).module.stats.resolvedJumps, 0);
    assert.deepEqual(view(runMessageCall(evmNativeEngine, u)), view(runMessageCall(evmInterpEngine, u)), `target ${target}`);
  }
});

test('evm-native on the corpus contracts: most dynamic jumps compiled as compares (cell info: resolvedJumps)', () => {
  const { code } = resolveEvmCase('evm:oz-governor').load();
  const s = compileNative(code, FORK).module.stats;
  // not the analysis's own count: a host op in the block flushes a pushed target to stack memory
  // (a dynamic jump here, which the analysis resolves too), and a JUMPI whose condition folds to a
  // constant takes one way without a compare (fold.ts)
  assert.equal(s.dynamicJumps, 116);
  assert.equal(s.resolvedJumps, 106);
  assert.ok(s.jumpAnalysisMs > 0);
});

test('evm-native: JITBENCH_EVM_NATIVE_JUMPS=table turns the analysis off (every dynamic jump through the table), to measure one against the other', () => {
  const index = new URL('../backends/evm-native/index.js', import.meta.url).href;
  const asm = new URL('../src/evm/asm.js', import.meta.url).href;
  const script = `const { compileNative, loadEvmNative } = await import('${index}'); const { assemble } = await import('${asm}');
    await loadEvmNative(); const s = compileNative(assemble(${JSON.stringify(TWO_CALLS)}), 'cancun').module.stats;
    process.stdout.write(JSON.stringify([s.dynamicJumps, s.resolvedJumps]));`;
  const run = (env: Record<string, string>) => execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  assert.equal(run({ JITBENCH_EVM_NATIVE_JUMPS: 'table' }), '[1,0]');
  assert.equal(run({ JITBENCH_EVM_NATIVE_JUMPS: '' }), '[1,1]');
});
