/**
 * Where @ethereumjs/evm (10.1.3) departs from the specification, as found by the fuzzer. A
 * divergence in a case that shows one of these is counted apart (FuzzReport.knownEthereumjs), not
 * reported as ours, and its regression case (test/fixtures/evm-regressions/, `ethereumjsWrong`)
 * checks evm-interp against the specification instead of against ethereumjs.
 *
 * Each deviation has a probe: it runs the case on our engine with an instrumented host and says
 * whether the situation that ethereumjs gets wrong occurs at all.
 */
import { MessageHost } from '../host.js';
import { runMessageCall } from '../message.js';
import { EvmUnsupportedError } from '../precompiles.js';
import type { CreateRequest, CreateStart, EvmEngine } from '../types.js';
import { type FuzzCase, toMessageCall } from './case.js';

export interface KnownDeviation {
  id: string;
  /** What ethereumjs does, what the specification says, and where. */
  explanation: string;
  /** Whether running `c` (on `engine`, which follows the specification) meets the situation. */
  occursIn(c: FuzzCase, engine: EvmEngine): boolean;
}

/** A host that notes CREATE/CREATE2 of initcode beginning with the EOF magic 0xEF00. */
class EofInitcodeProbe extends MessageHost {
  seen = false;
  override beginCreate(req: CreateRequest): CreateStart {
    if (req.initcode.length >= 2 && req.initcode[0] === 0xef && req.initcode[1] === 0x00) this.seen = true;
    return super.beginCreate(req);
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
    occursIn(c, engine) {
      let probe: EofInitcodeProbe | undefined;
      try {
        runMessageCall(engine, toMessageCall(c), { host: (e, call, state, block, tx) => (probe = new EofInitcodeProbe(e, call.fork, state, block, tx)) });
      } catch (err) {
        if (err instanceof EvmUnsupportedError) return false;
        throw err;
      }
      return probe?.seen ?? false;
    },
  },
];
