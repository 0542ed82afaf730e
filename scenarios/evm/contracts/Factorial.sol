// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// n! modulo 2^256 (zero from n = 290 on: the product has 256 factors of two by then), iteratively.
contract Factorial {
    function fact(uint256 n) external pure returns (uint256 r) {
        unchecked {
            r = 1;
            for (uint256 i = 2; i <= n; i++) {
                r *= i;
            }
        }
    }
}
