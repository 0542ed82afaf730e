// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EfficientHashLib} from "solady/src/utils/EfficientHashLib.sol";

/// A keccak256 chain with solady's EfficientHashLib (scratch-space hashing in assembly):
/// h = keccak256(h, i) for i = 0 .. n - 1, from the seed word.
contract KeccakChainHarness {
    function chain(bytes32 seed, uint256 n) external pure returns (bytes32 h) {
        h = seed;
        for (uint256 i = 0; i < n; i++) h = EfficientHashLib.hash(h, bytes32(i));
    }
}
