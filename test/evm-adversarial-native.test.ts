/**
 * The adversarial suite (evm-adversarial.test.ts) on `evm-native`: huge offsets on every memory
 * opcode, quadratic memory past the module's memory windows, depth bombs, stack limits, bad jumps.
 */
import { loadEvmNative } from '../backends/evm-native/index.js';

process.env['JITBENCH_ADVERSARIAL_ENGINE'] = 'evm-native';
await loadEvmNative();
await import('./evm-adversarial.test.js');
