/**
 * The built-in backends, as a plugin like a user's: each is defined with defineBackend and
 * registered by the plugin loader. Loading this module also registers the EVM engines with the
 * EVM library (src/evm/engines.ts), which imports none of them.
 */
import { defineBackend } from '../src/api/define.js';
import { registerEvmEngine } from '../src/evm/engines.js';
import { ethereumjsBackend } from './ethereumjs/backend.js';
import { ethereumjsEngine } from './ethereumjs/index.js';
import { evmInterpBackend } from './evm-interp/backend.js';
import { evmInterpEngine } from './evm-interp/index.js';
import { evmNativeBackends } from './evm-native/backend.js';
import { evmNativeEngine } from './evm-native/index.js';
import { gpujsBackends } from './gpujs/index.js';
import { revmBackend } from './revm/backend.js';
import { revmEngine } from './revm/index.js';
import { tfjsBackends } from './tfjs/index.js';
import { tsBackend } from './ts/index.js';
import { wasmBackend } from './wasm/index.js';

for (const engine of [evmInterpEngine, evmNativeEngine, ethereumjsEngine, revmEngine]) registerEvmEngine(engine);

/** In display order. */
export const builtinBackends = [tsBackend, wasmBackend, ...tfjsBackends, ...gpujsBackends, evmInterpBackend, ...evmNativeBackends, ethereumjsBackend, revmBackend].map(defineBackend);
