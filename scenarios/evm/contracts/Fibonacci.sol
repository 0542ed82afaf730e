// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// fib(n) modulo 2^256, iteratively: the loop the EVM compiler papers benchmark with N = 1000.
contract Fibonacci {
    function fib(uint256 n) external pure returns (uint256 a) {
        unchecked {
            uint256 b = 1;
            for (uint256 i = 0; i < n; i++) {
                (a, b) = (b, a + b);
            }
        }
    }
}
