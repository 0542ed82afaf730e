/**
 * ABI encoding of the arguments of a user-supplied Solidity call (`evm:FILE.sol:C.fn(7,true,0x..)`):
 * static types only (uintN, intN, bool, address, bytesN), each one 32-byte word. The literals are
 * checked against the function's parameter types before the run; `n` and `seed` stand for the
 * cell's size and seed and are filled in at call time.
 */
import { UsageError } from '../../src/util/errors.js';

const MOD = 1n << 256n;

/** One parameter: either a fixed word or the cell's n / seed (range-checked when filled in). */
export type ArgWord = { kind: 'word'; value: bigint } | { kind: 'param'; name: 'n' | 'seed'; type: string };

interface StaticType {
  kind: 'uint' | 'int' | 'bool' | 'address' | 'bytes';
  /** bits for uint/int, bytes for bytesN */
  size: number;
}

export function parseStaticType(t: string): StaticType | undefined {
  if (t === 'bool') return { kind: 'bool', size: 8 };
  if (t === 'address') return { kind: 'address', size: 160 };
  let m = /^(u?int)(\d*)$/.exec(t);
  if (m) {
    const bits = m[2] === '' ? 256 : Number(m[2]);
    if (bits < 8 || bits > 256 || bits % 8 !== 0) return undefined;
    return { kind: m[1] === 'uint' ? 'uint' : 'int', size: bits };
  }
  m = /^bytes(\d+)$/.exec(t);
  if (m) {
    const bytes = Number(m[1]);
    return bytes >= 1 && bytes <= 32 ? { kind: 'bytes', size: bytes } : undefined;
  }
  return undefined;
}

/** The parameter types of a signature such as `run(uint256,address)` (undefined when a type is not static). */
export function staticParamTypes(signature: string): string[] | undefined {
  const inner = signature.slice(signature.indexOf('(') + 1, -1);
  if (inner === '') return [];
  const types = inner.split(',');
  if (/[()[\]]/.test(inner) || types.some((t) => !parseStaticType(t))) return undefined;
  return types;
}

function parseInteger(text: string): bigint | undefined {
  const t = text.replace(/_/g, '');
  const neg = t.startsWith('-');
  const body = neg ? t.slice(1) : t;
  let v: bigint;
  if (/^0x[0-9a-f]+$/i.test(body)) v = BigInt(body);
  else if (/^\d+$/.test(body)) v = BigInt(body);
  else {
    const m = /^(\d+)e(\d+)$/i.exec(body);
    if (!m || Number(m[2]) > 80) return undefined;
    v = BigInt(m[1]!) * 10n ** BigInt(m[2]!);
  }
  return neg ? -v : v;
}

/** The ABI word of a number for a uintN / intN parameter, range-checked. */
export function integerWord(v: bigint, type: string, what: string): bigint {
  const st = parseStaticType(type)!;
  const lo = st.kind === 'int' ? -(1n << BigInt(st.size - 1)) : 0n;
  const hi = st.kind === 'int' ? (1n << BigInt(st.size - 1)) - 1n : (1n << BigInt(st.size)) - 1n;
  if (v < lo || v > hi) throw new UsageError(`${what}: ${v} is out of range for ${type} (${lo} .. ${hi})`);
  return ((v % MOD) + MOD) % MOD;
}

/** Encodes one literal for a parameter of static type `type`; `what` names it in errors. */
export function encodeArg(type: string, literal: string, what: string): ArgWord {
  const st = parseStaticType(type);
  if (!st) throw new UsageError(`${what}: parameter type ${type} is not supported (static uintN, intN, bool, address and bytesN only)`);
  if (literal === 'n' || literal === 'seed') {
    if (st.kind !== 'uint' && st.kind !== 'int') throw new UsageError(`${what}: '${literal}' stands for a number, but the parameter is ${type}`);
    return { kind: 'param', name: literal, type };
  }
  switch (st.kind) {
    case 'bool':
      if (literal === 'true' || literal === '1') return { kind: 'word', value: 1n };
      if (literal === 'false' || literal === '0') return { kind: 'word', value: 0n };
      throw new UsageError(`${what}: '${literal}' is not a bool (true or false)`);
    case 'address':
      if (!/^0x[0-9a-fA-F]{40}$/.test(literal)) throw new UsageError(`${what}: '${literal}' is not an address (0x and 40 hex digits)`);
      return { kind: 'word', value: BigInt(literal) };
    case 'bytes': {
      if (!new RegExp(`^0x[0-9a-fA-F]{${2 * st.size}}$`).test(literal)) throw new UsageError(`${what}: '${literal}' is not a ${type} (0x and ${2 * st.size} hex digits)`);
      // bytesN is left-aligned in its word
      return { kind: 'word', value: BigInt(literal) << BigInt(8 * (32 - st.size)) };
    }
    default: {
      const v = parseInteger(literal);
      if (v === undefined) throw new UsageError(`${what}: '${literal}' is not an integer (decimal, 0x hex, 1e18, or n / seed)`);
      return { kind: 'word', value: integerWord(v, type, what) };
    }
  }
}

/** The words of the arguments for a cell's n and seed. */
export function argWords(args: readonly ArgWord[], n: number, seed: number, what: string): bigint[] {
  return args.map((a) => (a.kind === 'word' ? a.value : integerWord(BigInt(a.name === 'n' ? n : seed >>> 0), a.type, `${what} (${a.name})`)));
}
