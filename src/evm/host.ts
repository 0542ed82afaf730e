/**
 * The host of a message call: fork rules, world state, block/tx context, and nested calls and
 * creates. Engines only execute code; everything that moves value, creates accounts, meters
 * SSTORE / SELFDESTRUCT / calls or runs precompiles lives here, so all engines share it.
 */
import { delegatedAddress } from './delegation.js';
import { type Address, createAddress, create2Address } from './address.js';
import { type Fork, isForkAtLeast } from './fork.js';
import { type GasSchedule, allButOne64th, gasSchedule, sstoreCharge, toWords } from './gas.js';
import { type OpcodeTable, opcodeTable } from './opcodes.js';
import { type Precompile, precompiles } from './precompiles.js';
import type { State } from './state.js';
import type {
  BlockEnv,
  CallContinuation,
  CallOutcome,
  CallRequest,
  CallStart,
  CreateContinuation,
  CreateOutcome,
  CreateRequest,
  CreateStart,
  EvmEngine,
  Frame,
  FrameResult,
  Host,
  TxEnv,
} from './types.js';

export const MAX_CALL_DEPTH = 1024;
const RIPEMD160_ADDRESS: Address = '0x0000000000000000000000000000000000000003';
const EMPTY = new Uint8Array(0);
const CALL_OOG: CallOutcome = { outOfGas: true, gasCost: 0, success: false, returnData: EMPTY };
const CREATE_OOG: CreateOutcome = { outOfGas: true, gasCost: 0, address: undefined, returnData: EMPTY };

function callOutcome(charged: number, r: FrameResult): CallOutcome {
  const ok = r.status === 'success';
  const gasLeft = r.status === 'halt' ? 0 : r.gasLeft;
  return { outOfGas: false, gasCost: charged - gasLeft, success: ok, returnData: r.status === 'halt' ? EMPTY : r.returnData };
}

/** The gas CREATE / CREATE2 charge per word of initcode (EIP-3860 from Shanghai; CREATE2 also hashes it). */
export function createExtraGas(g: GasSchedule, req: Pick<CreateRequest, 'kind' | 'initcode'>): number {
  const w = toWords(req.initcode.length);
  return g.initcodeWord * w + (req.kind === 'CREATE2' ? g.create2HashWord * w : 0);
}

export class MessageHost implements Host {
  readonly gas: GasSchedule;
  readonly table: OpcodeTable;
  readonly precompiles: Map<Address, Precompile>;
  private readonly berlin: boolean;
  private readonly byzantium: boolean;
  /** EIP-7702 delegation designators are followed (Prague+). */
  private readonly delegation: boolean;

  constructor(
    readonly engine: EvmEngine,
    readonly fork: Fork,
    readonly state: State,
    readonly block: BlockEnv,
    readonly tx: TxEnv,
  ) {
    this.gas = gasSchedule(fork);
    this.table = opcodeTable(fork);
    this.precompiles = precompiles(fork);
    this.berlin = isForkAtLeast(fork, 'berlin');
    this.byzantium = isForkAtLeast(fork, 'byzantium');
    this.delegation = isForkAtLeast(fork, 'prague');
  }

  blockHash(n: bigint): bigint {
    const cur = this.block.number;
    if (n >= cur || n + 256n < cur) return 0n;
    return this.block.blockHash?.(n) ?? 0n;
  }

  accessAccount(a: Address): number {
    this.state.accessed.add(a);
    if (!this.berlin) return 0;
    return this.state.warmAddress(a) ? this.gas.coldAccountExtra : 0;
  }

  accessSlot(a: Address, key: bigint): number {
    if (!this.berlin) return 0;
    return this.state.warmSlot(a, key) ? this.gas.coldSloadExtra : 0;
  }

  sstore(a: Address, key: bigint, value: bigint, gasLeft: number): number {
    const g = this.gas;
    if (g.sstoreSentry !== 0 && gasLeft <= g.sstoreSentry) return -1;
    const cold = this.berlin ? this.state.warmSlot(a, key) : false;
    const st = this.state;
    const current = st.getStorage(a, key);
    const original = g.sstoreRule === 'frontier' ? current : st.getOriginalStorage(a, key);
    const { gas, refund } = sstoreCharge(g, original, current, value, cold);
    if (gas > gasLeft) return -1;
    st.setStorage(a, key, value);
    st.addRefund(refund);
    return gas;
  }

  selfDestruct(a: Address, beneficiary: Address, gasLeft: number): number {
    const g = this.gas;
    const st = this.state;
    let cost = 0;
    if (this.berlin && st.warmAddress(beneficiary)) cost += g.coldAccountExtra + g.warmAccess;
    const balance = st.getBalance(a);
    if (g.selfdestructNewAccount) {
      const needsNew = g.newAccountOnlyWithValue ? balance > 0n && st.isEmpty(beneficiary) : !st.exists(beneficiary);
      if (needsNew) cost += g.newAccount;
    }
    if (cost > gasLeft) return -1;
    st.accessed.add(beneficiary);
    if (g.selfdestructRefund !== 0 && !st.selfDestructs.has(a)) st.addRefund(g.selfdestructRefund);
    if (g.selfdestructOnlyNew && !st.created.has(a)) {
      // EIP-6780: only the balance moves (to itself: nothing happens)
      if (beneficiary !== a) {
        st.setBalance(a, 0n);
        st.addBalance(beneficiary, balance);
      }
      this.touch(beneficiary);
      return cost;
    }
    st.addBalance(beneficiary, balance);
    st.setBalance(a, 0n); // beneficiary === a: the balance is burned
    this.touch(beneficiary);
    st.markSelfDestruct(a);
    return cost;
  }

  /**
   * EIP-161 touch. The RIPEMD-160 precompile (0x03) stays touched even when the frame that touched
   * it fails (the "block 2675119" rule that geth and parity shipped and the specification keeps:
   * execution-specs collect_touched_accounts / incorporate_child_on_error), so an empty account
   * there is deleted at the end of the transaction: that touch is not journaled.
   */
  private touch(a: Address): void {
    if (a === RIPEMD160_ADDRESS && this.gas.clearEmptyAccounts) {
      this.state.accessed.add(a);
      this.state.touchedAccounts.add(a);
    } else this.state.touch(a);
  }

  // ------------------------------------------------------------------ calls
  //
  // Each of CALL* and CREATE* is split in two so that an engine can run the child frame itself
  // (the interpreter keeps its own frame stack instead of recursing on the JavaScript stack):
  // begin*() charges the costs and either finishes at once (precompile, no code, failure) or
  // returns the child frame and a continuation; finish*() takes the child's result. call() and
  // create() do both around a recursive engine.execute() for engines that recurse.

  call(req: CallRequest): CallOutcome {
    const s = this.beginCall(req);
    if (s.child === undefined) return s.outcome;
    return this.finishCall(s.cont, this.engine.execute(s.child, this));
  }

  beginCall(req: CallRequest): CallStart {
    const g = this.gas;
    const st = this.state;
    const { kind, to } = req;
    const value = kind === 'DELEGATECALL' || kind === 'STATICCALL' ? 0n : req.value;
    let extra = 0;
    if (this.berlin && st.warmAddress(to)) extra += g.coldAccountExtra;
    st.accessed.add(to);
    const transfers = value !== 0n;
    if (transfers) extra += g.callValue;
    if (kind === 'CALL') {
      if (g.newAccountOnlyWithValue) {
        if (transfers && st.isEmpty(to)) extra += g.newAccount;
      } else if (!st.exists(to)) extra += g.newAccount;
    }
    // EIP-7702: a callee whose code delegates runs the delegate's code; reaching the delegate is
    // an account access of its own (warm 100, cold 2600), charged with the call's other costs
    let codeAddress = to;
    const delegate = this.delegation ? delegatedAddress(st.getCode(to)) : undefined;
    if (delegate !== undefined) {
      extra += st.warmAddress(delegate) ? g.warmAccess + g.coldAccountExtra : g.warmAccess;
      st.accessed.add(delegate);
      codeAddress = delegate;
    }
    if (extra > req.availableGas) return { child: undefined, outcome: CALL_OOG };
    const left = req.availableGas - extra;
    let calleeGas: number;
    if (g.allButOne64th) calleeGas = Math.min(req.requestedGas, allButOne64th(left));
    else {
      if (req.requestedGas > left) return { child: undefined, outcome: CALL_OOG };
      calleeGas = req.requestedGas;
    }
    const charged = extra + calleeGas;
    if (transfers) calleeGas += g.callStipend;
    const started = this.startCall(req, value, calleeGas, codeAddress);
    if (started.child === undefined) return { child: undefined, outcome: callOutcome(charged, started.result) };
    return { child: started.child, cont: { charged, checkpoint: started.checkpoint } };
  }

  finishCall(cont: CallContinuation, r: FrameResult): CallOutcome {
    if (r.status !== 'success') this.state.revert(cont.checkpoint);
    return callOutcome(cont.charged, r);
  }

  /**
   * A call whose costs are paid: depth and balance checks, value transfer, then a precompile or
   * empty code (finished here) or the child frame to run. `codeAddress` differs from `req.to`
   * for a delegating callee (EIP-7702): its code is the delegate's, and a delegate that is a
   * precompile is not run (its account's code, normally empty, is).
   */
  protected startCall(req: CallRequest, value: bigint, gas: number, codeAddress: Address = req.to): { child: undefined; result: FrameResult } | { child: Frame; checkpoint: number } {
    const st = this.state;
    const { kind, frame, to } = req;
    const done = (result: FrameResult) => ({ child: undefined, result });
    if (frame.depth >= MAX_CALL_DEPTH) return done({ status: 'revert', returnData: EMPTY, gasLeft: gas });
    if (value !== 0n && st.getBalance(frame.address) < value) return done({ status: 'revert', returnData: EMPTY, gasLeft: gas });
    const cp = st.checkpoint();
    const pc = this.precompiles.get(to);
    if (kind === 'CALL') {
      if (!st.exists(to)) {
        if (!pc && this.gas.clearEmptyAccounts && value === 0n) return done({ status: 'success', returnData: EMPTY, gasLeft: gas });
        st.getOrCreate(to);
      }
      if (value !== 0n) {
        st.setBalance(frame.address, st.getBalance(frame.address) - value);
        st.addBalance(to, value);
      }
      this.touch(to);
    } else {
      // Every message touches its target (EIP-161; execution-specs process_message), STATICCALL's
      // callee included: an existing empty account it calls is deleted at the end of the
      // transaction when the call does not fail. CALLCODE and DELEGATECALL run in the caller's account.
      this.touch(kind === 'STATICCALL' ? to : frame.address);
    }
    if (pc) {
      const out = pc(req.input, gas, this.fork);
      if (out.ok) return done({ status: 'success', returnData: out.output, gasLeft: gas - out.gasUsed });
      st.revert(cp);
      return done({ status: 'halt', haltReason: 'precompile failure', returnData: EMPTY, gasLeft: 0 });
    }
    const code = st.getCode(codeAddress);
    if (code.length === 0) return done({ status: 'success', returnData: EMPTY, gasLeft: gas });
    const child: Frame = {
      code,
      calldata: req.input,
      address: kind === 'CALL' || kind === 'STATICCALL' ? to : frame.address,
      codeAddress,
      caller: kind === 'DELEGATECALL' ? frame.caller : frame.address,
      value: kind === 'DELEGATECALL' ? frame.value : value,
      gas,
      isStatic: frame.isStatic || kind === 'STATICCALL',
      depth: frame.depth + 1,
    };
    return { child, checkpoint: cp };
  }

  // ------------------------------------------------------------------ creates

  create(req: CreateRequest): CreateOutcome {
    const s = this.beginCreate(req);
    if (s.child === undefined) return s.outcome;
    return this.finishCreate(s.cont, this.engine.execute(s.child, this));
  }

  beginCreate(req: CreateRequest): CreateStart {
    const g = this.gas;
    const st = this.state;
    const { frame, value, initcode } = req;
    if (initcode.length > g.maxInitcodeSize) return { child: undefined, outcome: CREATE_OOG };
    const extra = createExtraGas(g, req);
    if (extra > req.availableGas) return { child: undefined, outcome: CREATE_OOG };
    const left = req.availableGas - extra;
    const calleeGas = g.allButOne64th ? allButOne64th(left) : left;
    const fail = (gasCost: number): CreateStart => ({ child: undefined, outcome: { outOfGas: false, gasCost, address: undefined, returnData: EMPTY } });
    if (frame.depth >= MAX_CALL_DEPTH || st.getBalance(frame.address) < value) return fail(extra);
    const nonce = st.getNonce(frame.address);
    if (nonce >= 0xffffffffffffffffn) return fail(extra);
    const address = req.kind === 'CREATE' ? createAddress(frame.address, nonce) : create2Address(frame.address, req.salt ?? new Uint8Array(32), initcode);
    st.setNonce(frame.address, nonce + 1n);
    if (this.berlin) st.warmAddress(address);
    st.accessed.add(address);
    const target = st.getAccount(address);
    if (target && (target.nonce !== 0n || target.code.length !== 0 || target.storage.size !== 0)) return fail(extra + calleeGas);
    const cp = st.checkpoint();
    st.createContractAccount(address, g.clearEmptyAccounts ? 1n : 0n);
    if (value !== 0n) {
      st.setBalance(frame.address, st.getBalance(frame.address) - value);
      st.addBalance(address, value);
    }
    st.touch(address);
    const cont: CreateContinuation = { charged: extra + calleeGas, checkpoint: cp, address };
    if (initcode.length === 0) return { child: undefined, outcome: this.finishCreate(cont, { status: 'success', returnData: EMPTY, gasLeft: calleeGas }) };
    const child: Frame = {
      code: initcode,
      calldata: EMPTY,
      address,
      codeAddress: address,
      caller: frame.address,
      value,
      gas: calleeGas,
      isStatic: false,
      depth: frame.depth + 1,
    };
    return { child, cont };
  }

  finishCreate(cont: CreateContinuation, r: FrameResult): CreateOutcome {
    const g = this.gas;
    const st = this.state;
    const fail = (gasCost: number, returnData: Uint8Array = EMPTY): CreateOutcome => ({ outOfGas: false, gasCost, address: undefined, returnData });
    if (r.status === 'revert') {
      st.revert(cont.checkpoint);
      return fail(cont.charged - r.gasLeft, r.returnData);
    }
    if (r.status === 'halt') {
      st.revert(cont.checkpoint);
      return fail(cont.charged);
    }
    const code = r.returnData;
    let gasLeft = r.gasLeft;
    if (code.length > g.maxCodeSize || (g.rejectEfCode && code.length > 0 && code[0] === 0xef)) {
      st.revert(cont.checkpoint);
      return fail(cont.charged);
    }
    const deposit = g.codeDepositByte * code.length;
    if (deposit > gasLeft) {
      if (g.createFailsOnDepositOog) {
        st.revert(cont.checkpoint);
        return fail(cont.charged);
      }
      // Frontier: the contract exists, with empty code
    } else {
      gasLeft -= deposit;
      st.setCode(cont.address, code);
    }
    return { outOfGas: false, gasCost: cont.charged - gasLeft, address: cont.address, returnData: EMPTY };
  }

  /** Whether REVERT / return data exist (Byzantium). */
  get hasReturnData(): boolean {
    return this.byzantium;
  }
}
