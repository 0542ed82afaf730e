import { existsSync } from 'node:fs';
import { hexToBytes } from './hex.js';
import { UsageError } from '../util/errors.js';
import { fmtBytes, MiB, readFileLimited } from '../util/read-limited.js';

/**
 * Most bytes --code or --calldata may hold: 1 MiB, 40 times the largest deployable contract
 * (EIP-170: 24,576 bytes) and 20 times the largest initcode (EIP-3860), room for synthetic code
 * while a wrong @FILE cannot fill the memory.
 */
export const MAX_HEX_ARG_BYTES = MiB;

/** Hex from the argument, or from a file with @FILE; `0x` optional; whole bytes only; at most MAX_HEX_ARG_BYTES. */
export function parseHexArg(text: string, option: string): Uint8Array {
  let raw = text;
  if (text.startsWith('@')) {
    const file = text.slice(1);
    if (!existsSync(file)) throw new UsageError(`--${option} file '${file}' does not exist`);
    // two hex digits per byte, plus room for 0x and white space
    raw = readFileLimited(file, 2 * MAX_HEX_ARG_BYTES + 4096, `--${option} file`, `hex of at most ${fmtBytes(MAX_HEX_ARG_BYTES)}`).toString('utf8');
  }
  const h = raw.trim().replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]*$/.test(h)) throw new UsageError(`invalid --${option}: '${raw.trim().slice(0, 40)}' is not hex (expected e.g. 0x6001600201)`);
  if (h.length % 2 === 1) throw new UsageError(`invalid --${option}: odd-length hex (${h.length} digits); each byte needs two hex digits`);
  if (h.length / 2 > MAX_HEX_ARG_BYTES) throw new UsageError(`--${option} has ${h.length / 2} bytes: the limit is ${fmtBytes(MAX_HEX_ARG_BYTES)} (${MAX_HEX_ARG_BYTES} bytes)`);
  return hexToBytes(h);
}
