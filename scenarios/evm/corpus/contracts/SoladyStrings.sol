// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {LibString} from "solady/src/utils/LibString.sol";

/// solady's LibString: decimal (signed and unsigned), hexadecimal (padded, minimal, EIP-55
/// checksummed address), replace and upper case of values from the seeded generator; the
/// answer hashes every string made, in order.
contract StringsHarness {
    function run(uint256 n, uint256 seed) external pure returns (bytes32 h) {
        uint256 x = seed;
        for (uint256 i = 0; i < n; i++) {
            unchecked {
                x = x * 6364136223846793005 + 1442695040888963407;
            }
            h = keccak256(abi.encodePacked(h, numbers(x, i), hexes(x)));
        }
    }

    function numbers(uint256 x, uint256 i) private pure returns (bytes memory) {
        string memory d = LibString.toString(x >> (i % 256));
        return abi.encodePacked(d, LibString.toString(-int256(x >> 130)), LibString.replace(d, "1", "one"));
    }

    function hexes(uint256 x) private pure returns (bytes memory) {
        string memory hx = LibString.toHexString(x, 32);
        return abi.encodePacked(hx, LibString.toMinimalHexString(x >> 200), LibString.toHexStringChecksummed(address(uint160(x))), LibString.upper(hx));
    }
}
