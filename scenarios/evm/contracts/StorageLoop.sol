// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Storage-heavy loop: writes n fresh slots (SSTORE), reads them all back (SLOAD) and returns a
/// checksum of what it read. Every call starts from empty storage: each write is a cold
/// zero-to-nonzero SSTORE, each read a warm SLOAD.
contract StorageLoop {
    uint256 private constant STEP = 0x9e3779b97f4a7c15;
    uint256 private constant FNV_PRIME = 0x100000001b3;

    mapping(uint256 => uint256) private slots;

    function run(uint256 n, uint256 seed) external returns (uint256 sum) {
        unchecked {
            for (uint256 i = 0; i < n; i++) {
                slots[i] = seed + (i + 1) * STEP;
            }
            for (uint256 i = 0; i < n; i++) {
                sum = (sum * FNV_PRIME) ^ slots[i];
            }
        }
    }
}
