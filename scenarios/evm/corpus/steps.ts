/**
 * Helpers for the corpus set-ups: deploy and call steps, and the creation bytecode that an npm
 * package publishes in its build artifacts (run as published, never recompiled).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { concatBytes, hexToBytes } from '../../../src/evm/hex.js';
import { solidityPackageDir } from '../solc-imports.js';
import type { SetupStep } from './prestate.js';

export function deployStep(label: string, address: string, creation: string | Uint8Array, args: Uint8Array = new Uint8Array(0)): SetupStep {
  return { kind: 'deploy', label, address, initcode: concatBytes(typeof creation === 'string' ? hexToBytes(creation) : creation, args) };
}

export function callStep(label: string, address: string, calldata: Uint8Array, block?: bigint): SetupStep {
  return { kind: 'call', label, address, calldata, ...(block !== undefined ? { block } : {}) };
}

/**
 * The creation bytecode in a published artifact: Hardhat's and Truffle's `bytecode` field, or
 * solc's Standard JSON `evm.bytecode.object` (Waffle).
 */
export function publishedCreationCode(pkg: string, file: string): Uint8Array {
  const dir = solidityPackageDir(pkg);
  if (!dir) throw new Error(`package ${pkg} is not installed (npm install): the corpus uses its published bytecode`);
  const a = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { bytecode?: string | { object?: string }; evm?: { bytecode?: { object?: string } } };
  const hex = a.evm?.bytecode?.object ?? (typeof a.bytecode === 'string' ? a.bytecode : a.bytecode?.object);
  if (!hex) throw new Error(`${pkg}/${file} has no creation bytecode`);
  return hexToBytes(hex.startsWith('0x') ? hex : `0x${hex}`);
}
