/**
 * A tiny EVM assembler for tests and hand-written workloads.
 *
 *   PUSH1 0x2a PUSH1 0 MSTORE        mnemonics; PUSHn takes a number (hex 0x.. or decimal)
 *   PUSH 1000                        PUSH picks the smallest width (PUSH0 is not used: pre-Shanghai safe)
 *   loop:                            a label: emits JUMPDEST
 *   @loop JUMPI                      pushes the label's address (PUSH2)
 *   ; comment to end of line
 */
import { OPCODE_BY_NAME } from './opcodes.js';

export function assemble(src: string): Uint8Array {
  const tokens = src
    .split('\n')
    .map((l) => l.replace(/;.*$/, ''))
    .join(' ')
    .split(/\s+/)
    .filter(Boolean);
  type Item = { kind: 'op'; byte: number } | { kind: 'push'; width: number; value: bigint } | { kind: 'label'; name: string } | { kind: 'ref'; name: string };
  const items: Item[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.endsWith(':')) {
      items.push({ kind: 'label', name: tok.slice(0, -1) });
      continue;
    }
    if (tok.startsWith('@')) {
      items.push({ kind: 'ref', name: tok.slice(1) });
      continue;
    }
    const up = tok.toUpperCase();
    const m = /^PUSH(\d*)$/.exec(up);
    if (m && up !== 'PUSH0') {
      const arg = tokens[++i];
      if (arg === undefined) throw new SyntaxError(`${tok} needs a value`);
      const value = BigInt(arg);
      if (value < 0n || value >= 1n << 256n) throw new RangeError(`${tok} ${arg}: out of range`);
      let width = m[1] ? Number(m[1]) : Math.max(1, Math.ceil(value.toString(16).length / 2));
      if (width < 1 || width > 32 || value >= 1n << BigInt(8 * width)) throw new RangeError(`${tok} ${arg}: does not fit`);
      items.push({ kind: 'push', width, value });
      continue;
    }
    const byte = OPCODE_BY_NAME[up];
    if (byte === undefined) {
      if (/^0X[0-9A-F]{2}$/.test(up)) items.push({ kind: 'op', byte: parseInt(up.slice(2), 16) });
      else throw new SyntaxError(`unknown mnemonic ${tok}`);
      continue;
    }
    items.push({ kind: 'op', byte });
  }
  const labels = new Map<string, number>();
  let pc = 0;
  for (const it of items) {
    if (it.kind === 'label') {
      labels.set(it.name, pc);
      pc += 1;
    } else if (it.kind === 'op') pc += 1;
    else if (it.kind === 'push') pc += 1 + it.width;
    else pc += 3;
  }
  const out: number[] = [];
  for (const it of items) {
    if (it.kind === 'label') out.push(0x5b);
    else if (it.kind === 'op') out.push(it.byte);
    else {
      const width = it.kind === 'push' ? it.width : 2;
      let value: bigint;
      if (it.kind === 'push') value = it.value;
      else {
        const target = labels.get(it.name);
        if (target === undefined) throw new SyntaxError(`unknown label ${it.name}`);
        value = BigInt(target);
      }
      out.push(0x5f + width);
      for (let k = width - 1; k >= 0; k--) out.push(Number((value >> BigInt(8 * k)) & 0xffn));
    }
  }
  return Uint8Array.from(out);
}
