/**
 * Where @ethereumjs/evm (10.1.3) departs from the specification, as found by the fuzzer. A case in
 * which ethereumjs differs from a specification-following engine only because of one of these is
 * counted apart (FuzzReport.masked), not reported as a divergence, and its regression case
 * (test/fixtures/evm-regressions/, `ethereumjsWrong`) checks evm-interp against the specification
 * instead of against ethereumjs.
 *
 * Each deviation comes with a host that emulates it: MessageHost, except in the situation
 * ethereumjs gets wrong, where it does what ethereumjs does. A difference is explained by the
 * deviation only when the specification-following engine, run with that host, gives exactly
 * ethereumjs's outcome (every field): anything else the two disagree on is still reported.
 */
import { MessageHost, createExtraGas } from '../host.js';
import { type HostFactory, runMessageCall } from '../message.js';
import type {
  CallContinuation,
  CallOutcome,
  CallRequest,
  CallStart,
  CreateContinuation,
  CreateOutcome,
  CreateRequest,
  CreateStart,
  EvmEngine,
  Frame,
  FrameResult,
} from '../types.js';
import { type FuzzCase, toMessageCall } from './case.js';
import { type Outcome, diffOutcomes, outcomeOf } from './compare.js';

/** The engine id the deviations belong to (backends/ethereumjs). */
export const ETHEREUMJS_ID = 'ethereumjs';

export interface KnownDeviation {
  id: string;
  /** What ethereumjs does, what the specification says, and where. */
  explanation: string;
  /** A host that behaves as ethereumjs does in this situation and as the specification elsewhere. */
  emulate: HostFactory;
}

const EMPTY = new Uint8Array(0);

const isEofInitcode = (code: Uint8Array) => code.length >= 2 && code[0] === 0xef && code[1] === 0x00;

/**
 * ethereumjs's CREATE/CREATE2 of initcode starting with 0xEF00: its gas handler charges the
 * opcode's own costs (memory, EIP-3860 initcode words, CREATE2 hashing; the engine charges the
 * base and memory here, `extra` below is the rest), then the handler pushes 0 and returns: no
 * nonce increment, no address warmed, no gas handed to the initcode, and the frame's return data
 * buffer is left as it was (ethereumjs clears it in interpreter.create, which is not reached).
 * A frame's return buffer is the return data of its last call or create, so the host tracks it.
 */
class EthereumjsEofCreateHost extends MessageHost {
  private readonly lastReturn = new WeakMap<Frame, Uint8Array>();
  private readonly callerOf = new WeakMap<CallContinuation | CreateContinuation, Frame>();

  override beginCall(req: CallRequest): CallStart {
    return this.noteStart(req.frame, super.beginCall(req));
  }

  override finishCall(cont: CallContinuation, r: FrameResult): CallOutcome {
    const out = super.finishCall(cont, r);
    this.noteReturn(cont, out.returnData);
    return out;
  }

  override beginCreate(req: CreateRequest): CreateStart {
    if (isEofInitcode(req.initcode)) {
      const g = this.gas;
      const extra = createExtraGas(g, req);
      // too long or too costly: ethereumjs halts the frame before the EOF check, as the specification does
      if (req.initcode.length <= g.maxInitcodeSize && extra <= req.availableGas) {
        return { child: undefined, outcome: { outOfGas: false, gasCost: extra, address: undefined, returnData: this.lastReturn.get(req.frame) ?? EMPTY } };
      }
    }
    return this.noteStart(req.frame, super.beginCreate(req));
  }

  /** A call or create that ended at once leaves its return data in the frame; one that started a child is remembered. */
  private noteStart<S extends CallStart | CreateStart>(frame: Frame, s: S): S {
    if (s.child === undefined) this.lastReturn.set(frame, s.outcome.returnData);
    else this.callerOf.set(s.cont, frame);
    return s;
  }

  override finishCreate(cont: CreateContinuation, r: FrameResult): CreateOutcome {
    const out = super.finishCreate(cont, r);
    this.noteReturn(cont, out.returnData);
    return out;
  }

  private noteReturn(cont: CallContinuation | CreateContinuation, data: Uint8Array): void {
    const frame = this.callerOf.get(cont);
    if (frame) this.lastReturn.set(frame, data);
  }
}

export const KNOWN_ETHEREUMJS_DEVIATIONS: readonly KnownDeviation[] = [
  {
    id: 'legacy-create-of-ef00-initcode',
    explanation:
      '@ethereumjs/evm 10.1.3 (opcodes/functions.js, CREATE 0xf0 and CREATE2 0xf5: `if (isEOF(data)) { push 0; return }`) ' +
      'refuses initcode that starts with the EOF magic 0xEF00 in every fork, EOF active or not: it pushes 0 without ' +
      'incrementing the creator\'s nonce and without spending the gas set aside for the initcode. No fork up to Prague has ' +
      'EOF (EIP-3540/7620 are not in them), so the specification (execution-specs generic_create, every fork) runs the ' +
      'initcode like any other: the creator\'s nonce goes up, 0xEF is an undefined opcode, the initcode halts exceptionally ' +
      'and its gas (all but 1/64 of what was left from Tangerine Whistle, all of it before) is consumed. EIP-3541 (London) ' +
      'only rejects 0xEF as the first byte of the code a creation returns, never of initcode.',
    emulate: (engine, call, state, block, tx) => new EthereumjsEofCreateHost(engine, call.fork, state, block, tx),
  },
];

/** The outcome of `c` on `engine` with deviation `k` emulated by the host. */
export function emulatedOutcome(k: KnownDeviation, c: FuzzCase, engine: EvmEngine): Outcome {
  return outcomeOf(c, runMessageCall(engine, toMessageCall(c), { host: k.emulate }));
}

/**
 * The known deviation that explains the whole difference between ethereumjs's outcome on `c` and
 * that of `specEngine` (an engine following the specification), if one does: `specEngine` run with
 * the deviation emulated gives ethereumjs's outcome exactly.
 */
export function explainingDeviation(c: FuzzCase, specEngine: EvmEngine, ethereumjs: Outcome): KnownDeviation | undefined {
  return KNOWN_ETHEREUMJS_DEVIATIONS.find((k) => diffOutcomes(emulatedOutcome(k, c, specEngine), ethereumjs).length === 0);
}
