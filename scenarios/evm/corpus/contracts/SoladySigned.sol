// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {FixedPointMathLib as F} from "solady/src/utils/FixedPointMathLib.sol";

/// Signed 18-decimal fixed point with solady's FixedPointMathLib (SDIV, SMOD, SAR, sign
/// extension of narrow casts): per step three signed operands of 128, 64 and 96 bits from the
/// seeded generator, folded into one signed accumulator.
contract SignedMathHarness {
    function run(uint256 n, uint256 seed) external pure returns (int256 acc) {
        uint256 x = seed;
        for (uint256 i = 0; i < n; i++) {
            unchecked {
                x = x * 6364136223846793005 + 1442695040888963407;
            }
            int256 a = int128(uint128(x >> 64));
            int256 b = int64(uint64(x >> 192)) | 1;
            int256 c = int96(uint96(x));
            unchecked {
                acc = acc ^ F.sMulWad(a, b);
                acc = acc + F.sDivWad(c, b);
                acc = acc ^ F.rawSDiv(a, b) ^ F.rawSMod(a, c | 1);
                acc = acc + (a >> (i % 131)) + F.avg(a, c);
                acc = acc ^ int256(F.dist(a, c)) ^ F.max(a, c) ^ F.min(b, c);
                acc = acc + F.sMulWad(acc >> 130, b);
            }
        }
    }
}
