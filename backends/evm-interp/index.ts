/** `evm-interp`: the EVM interpreter engine (src/evm core + the loop in interpreter.ts). */
import type { EvmEngine, Frame, FrameResult, Host } from '../../src/evm/types.js';
import { interpret } from './interpreter.js';

export const evmInterpEngine: EvmEngine = {
  id: 'evm-interp',
  description: 'EVM interpreter in TypeScript: switch dispatch, 8x32-bit limb words in a Uint32Array stack',
  execute(frame: Frame, host: Host): FrameResult {
    return interpret(frame, host);
  },
};

export { interpret };
