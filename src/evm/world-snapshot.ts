/**
 * The prepared world of a top-level frame as plain data, for engines that run the frame outside
 * this process's state (ethereumjs and revm in worker threads): accounts, the EIP-2929 warm sets,
 * the block environment and the BLOCKHASH answers it can ask for.
 */
import type { Address } from './address.js';
import type { BlockEnv, Host } from './types.js';

export interface WorldSnapshot {
  accounts: Array<{ address: Address; nonce: bigint; balance: bigint; code: Uint8Array; storage: Array<[bigint, bigint]> }>;
  warmAddresses: Address[];
  warmSlots: Array<[Address, bigint[]]>;
  /** The block environment without its blockHash function (structured-clone data). */
  block: Omit<BlockEnv, 'blockHash'>;
  /** Known hashes of the (at most 256) blocks before block.number. */
  blockHashes: Array<[bigint, bigint]>;
}

export function worldSnapshot(host: Host): WorldSnapshot {
  const st = host.state;
  const accounts = st.addresses().map((address) => {
    const acc = st.getAccount(address)!;
    return { address, nonce: acc.nonce, balance: acc.balance, code: acc.code, storage: [...acc.storage] };
  });
  const warm = st.warmSnapshot();
  const { blockHash, ...block } = host.block;
  const blockHashes: Array<[bigint, bigint]> = [];
  if (blockHash) {
    for (let n = block.number > 256n ? block.number - 256n : 0n; n < block.number; n++) {
      const h = host.blockHash(n);
      if (h !== 0n) blockHashes.push([n, h]);
    }
  }
  return { accounts, warmAddresses: warm.addresses, warmSlots: warm.slots, block, blockHashes };
}
