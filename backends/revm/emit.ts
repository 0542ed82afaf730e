/**
 * A small EVM code emitter for the harness: the same mnemonics as src/evm/asm.ts (`PUSH n` picks
 * the smallest width, never PUSH0; `name:` is a JUMPDEST label, `@name` pushes its address), but
 * writing bytes as it goes. The harness is built for every call, and going through the text
 * assembler cost about 230 µs of the engine's per-call overhead.
 */
import { OPCODE_BY_NAME } from '../../src/evm/opcodes.js';

export class Emitter {
  private readonly out: number[] = [];
  private readonly labels = new Map<string, number>();
  private readonly refs: Array<[number, string]> = [];

  /** Append space-separated mnemonics. */
  emit(src: string): void {
    const t = src.split(' ');
    for (let i = 0; i < t.length; i++) {
      const tok = t[i]!;
      if (tok === '') continue;
      if (tok.endsWith(':')) {
        this.labels.set(tok.slice(0, -1), this.out.length);
        this.out.push(0x5b);
      } else if (tok.startsWith('@')) {
        this.refs.push([this.out.length + 1, tok.slice(1)]);
        this.out.push(0x61, 0, 0);
      } else if (tok.startsWith('PUSH')) {
        const arg = t[++i];
        if (arg === undefined) throw new SyntaxError(`${tok} needs a value`);
        const width = tok.length > 4 ? Number(tok.slice(4)) : 0;
        // most operands are small: a Number is much cheaper than a BigInt
        const n = arg.length <= 13 ? Number(arg) : NaN;
        if (Number.isSafeInteger(n) && width === 0) this.pushSmall(n);
        else if (arg.startsWith('0x')) this.pushHex(arg.slice(2), width);
        else this.push(BigInt(arg), width);
      } else {
        const op = OPCODE_BY_NAME[tok];
        if (op === undefined) throw new SyntaxError(`unknown mnemonic ${tok}`);
        this.out.push(op);
      }
    }
  }

  private pushSmall(v: number): void {
    let w = 1;
    while (w < 7 && v >= 2 ** (8 * w)) w++;
    this.out.push(0x5f + w);
    for (let k = w - 1; k >= 0; k--) this.out.push(Math.floor(v / 2 ** (8 * k)) % 256);
  }

  /** PUSH of hex digits (addresses, selectors, big constants) without going through BigInt. */
  private pushHex(digits: string, width: number): void {
    let h = digits.replace(/^0+/, '');
    if (h.length % 2 === 1) h = '0' + h;
    const w = width === 0 ? Math.max(1, h.length / 2) : width;
    if (h.length / 2 > w || w > 32) throw new RangeError(`PUSH${w} 0x${digits}: does not fit`);
    h = h.padStart(2 * w, '0');
    this.out.push(0x5f + w);
    for (let k = 0; k < w; k++) this.out.push(parseInt(h.substr(2 * k, 2), 16));
  }

  /** PUSH `v` in `width` bytes (0: the smallest width that holds it, at least 1). */
  push(v: bigint, width = 0): void {
    let w = width;
    if (w === 0) for (w = 1; w < 32 && v >> BigInt(8 * w) !== 0n; w++);
    if (v < 0n || v >> BigInt(8 * w) !== 0n) throw new RangeError(`PUSH${w} ${v}: does not fit`);
    this.out.push(0x5f + w);
    for (let k = w - 1; k >= 0; k--) this.out.push(Number((v >> BigInt(8 * k)) & 0xffn));
  }

  /** A PUSH of `width` bytes to fill in later with patch(). */
  placeholder(width: number): number {
    this.out.push(0x5f + width);
    const at = this.out.length;
    for (let k = 0; k < width; k++) this.out.push(0);
    return at;
  }

  patch(at: number, width: number, v: number): void {
    if (v >= 2 ** (8 * width)) throw new RangeError(`patch ${v} into ${width} bytes`);
    for (let k = width - 1, x = v; k >= 0; k--, x = Math.floor(x / 256)) this.out[at + k] = x % 256;
  }

  bytes(): Uint8Array {
    for (const [at, name] of this.refs) {
      const target = this.labels.get(name);
      if (target === undefined) throw new SyntaxError(`unknown label ${name}`);
      this.patch(at, 2, target);
    }
    return Uint8Array.from(this.out);
  }
}
