// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";

/// secp256r1 in pure Solidity (OpenZeppelin's P256: Jacobian coordinates, Shamir's trick,
/// MULMOD/ADDMOD over the 256-bit prime), never the RIP-7212 precompile.
contract P256Harness {
    /// w holds five words per signature (h, r, s, qx, qy); bit i of the answer is set when
    /// signature i verifies.
    function verifyAll(bytes32[] calldata w) external view returns (uint256 valid) {
        for (uint256 i = 0; 5 * i + 4 < w.length; i++) {
            if (P256.verifySolidity(w[5 * i], w[5 * i + 1], w[5 * i + 2], w[5 * i + 3], w[5 * i + 4])) valid |= 1 << i;
        }
    }

    /// w holds four words per signature (h, v, r, s); the answer is keccak256 of the recovered
    /// public keys (x, y) one after the other.
    function recoverAll(bytes32[] calldata w) external view returns (bytes32) {
        bytes memory keys;
        for (uint256 i = 0; 4 * i + 3 < w.length; i++) {
            (bytes32 x, bytes32 y) = P256.recovery(w[4 * i], uint8(uint256(w[4 * i + 1])), w[4 * i + 2], w[4 * i + 3]);
            keys = bytes.concat(keys, x, y);
        }
        return keccak256(keys);
    }
}
