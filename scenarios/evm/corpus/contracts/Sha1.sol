// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {SHA1} from "@ensdomains/solsha1/contracts/SHA1.sol";

/// ENS's SHA-1 (inline assembly that shifts with MUL/DIV) over an n-byte message derived from the
/// seed, the same message as the evm:sha256 workload's.
contract Sha1Harness {
    function digest(uint32 seed, uint256 n) external pure returns (bytes20) {
        return SHA1.sha1(message(seed, n));
    }

    function message(uint32 seed, uint256 n) public pure returns (bytes memory m) {
        m = new bytes(n);
        unchecked {
            for (uint256 i = 0; i < n; i++) {
                uint32 x = seed + uint32(i) * 0x9e3779b9;
                x ^= x >> 16;
                x *= 0x7feb352d;
                x ^= x >> 15;
                m[i] = bytes1(uint8(x));
            }
        }
    }
}
