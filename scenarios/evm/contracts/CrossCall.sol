// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IStepper {
    function step(uint256 x) external returns (uint256);
}

/// The callee: counts its calls in storage and mixes the count into each answer.
contract Stepper is IStepper {
    uint256 public calls;

    function step(uint256 x) external returns (uint256) {
        unchecked {
            uint256 c = ++calls;
            return x * 0x5851f42d4c957f2d + c;
        }
    }
}

/// The caller: n external calls (CALL, ABI-encoded argument, return data decoded) into another
/// contract whose address it is given.
contract CrossCall {
    function run(IStepper stepper, uint256 n, uint256 seed) external returns (uint256 x) {
        x = seed;
        for (uint256 i = 0; i < n; ) {
            x = stepper.step(x);
            unchecked {
                ++i;
            }
        }
    }
}
