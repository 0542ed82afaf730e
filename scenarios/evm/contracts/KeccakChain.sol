// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A keccak256 hash chain: h = keccak256(abi.encodePacked(h)), n times from the seed word.
contract KeccakChain {
    function chain(bytes32 seed, uint256 n) external pure returns (bytes32 h) {
        h = seed;
        for (uint256 i = 0; i < n; ) {
            h = keccak256(abi.encodePacked(h));
            unchecked {
                ++i;
            }
        }
    }
}
