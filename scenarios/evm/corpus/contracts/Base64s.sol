// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base64 as SoladyBase64} from "solady/src/utils/Base64.sol";
import {Base64 as OzBase64} from "@openzeppelin/contracts/utils/Base64.sol";

/// Base64 both ways with two libraries: solady encodes (standard alphabet, padded) and decodes,
/// OpenZeppelin encodes the URL-safe form (no padding) and decodes it; over an n-byte message
/// derived from the seed (the evm:sha256 workload's). The answer hashes all four outputs.
contract Base64Harness {
    function run(uint32 seed, uint256 n) external pure returns (bytes32) {
        bytes memory m = message(seed, n);
        string memory a = SoladyBase64.encode(m);
        string memory b = OzBase64.encodeURL(m);
        return keccak256(abi.encodePacked(a, b, SoladyBase64.decode(a), OzBase64.decode(b)));
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
