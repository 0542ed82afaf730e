// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {LibSort} from "solady/src/utils/LibSort.sol";

/// solady's LibSort (intro-quicksort in assembly): n unsigned words with repeats, sorted and
/// deduplicated, and n signed words, sorted; the answer hashes both arrays.
contract SortHarness {
    function run(uint256 n, uint256 seed) external pure returns (bytes32) {
        uint256[] memory a = new uint256[](n);
        int256[] memory b = new int256[](n);
        uint256 x = seed;
        for (uint256 i = 0; i < n; i++) {
            unchecked {
                x = x * 6364136223846793005 + 1442695040888963407;
            }
            a[i] = (x >> 128) % (n / 2 + 1);
            b[i] = int256(x) >> 3;
        }
        LibSort.sort(a);
        LibSort.uniquifySorted(a);
        LibSort.sort(b);
        return keccak256(abi.encodePacked(a, b));
    }
}
