/** The EVM core shared by the EVM engines (see README "EVM engines" and shared/DESIGN.md). */
export * from './types.js';
export { FORKS, LATEST_FORK, parseFork, isForkAtLeast, forkIndex } from './fork.js';
export { gasSchedule, memoryCost, sstoreCharge, type GasSchedule } from './gas.js';
export { opcodeTable, opcodeName, OPCODES, OPCODE_BY_NAME, type OpcodeTable } from './opcodes.js';
export { codeAnalysis, type CodeAnalysis } from './analysis.js';
export { State, type AccountData } from './state.js';
export { MessageHost } from './host.js';
export { runMessageCall, normalizeBlock, DEFAULT_BLOCK } from './message.js';
export { precompiles, EvmUnsupportedError } from './precompiles.js';
export { toAddress, createAddress, create2Address, ZERO_ADDRESS } from './address.js';
export { assemble } from './asm.js';
export { hexToBytes, bytesToHex } from './hex.js';
export { keccak256 } from './keccak.js';
export { runVmTestFile, runVmTests, runVmTest, loadVmTestsManifest, defaultVmTestsDir, findVmTestFiles, logsHash, type VmTestResult } from './vmtests.js';
export { evmEngines, registerEvmEngine, DEFAULT_EVM_ENGINE, findEvmEngine } from './engines.js';
