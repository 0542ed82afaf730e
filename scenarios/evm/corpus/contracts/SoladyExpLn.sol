// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {FixedPointMathLib as F} from "solady/src/utils/FixedPointMathLib.sol";

/// solady's transcendental fixed-point functions (lnWad, expWad, powWad, sqrtWad, cbrtWad,
/// lambertW0Wad: rational approximations in assembly, signed arithmetic throughout) on n inputs
/// in (0, 100] from the seeded generator, folded into one word.
contract ExpLnHarness {
    function run(uint256 n, uint256 seed) external pure returns (uint256 acc) {
        uint256 x = seed;
        for (uint256 i = 0; i < n; i++) {
            unchecked {
                x = x * 6364136223846793005 + 1442695040888963407;
            }
            int256 a = int256((x >> 128) % 100e18) + 1;
            int256 l = F.lnWad(a);
            int256 e = F.expWad(l / 2 - 3e18);
            int256 p = F.powWad(a, int256((x >> 64) % 3e18));
            int256 w = F.lambertW0Wad(a);
            unchecked {
                acc = (acc * 0x100000001b3) ^ uint256(l) ^ uint256(e);
                acc = acc ^ uint256(p) ^ uint256(w) ^ F.sqrtWad(uint256(a)) ^ F.cbrtWad(uint256(a));
            }
        }
    }
}
