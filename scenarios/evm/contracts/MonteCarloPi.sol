// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Monte Carlo pi with jitbench's counter-based generator (scenarios/monte-carlo-pi/generator.ts):
/// hits(seed, n) equals the hit count of every other backend for the same seed and n.
contract MonteCarloPi {
    uint32 private constant PHI = 0x9e3779b9;
    /// 2 * PHI modulo 2^32: the counter step between samples.
    uint32 private constant STEP = 0x3c6ef372;
    uint256 private constant BLOCK_SAMPLES = 1 << 31;
    uint256 private constant HIT_LIMIT = 1 << 48;

    function lowbias32(uint32 x) private pure returns (uint32) {
        unchecked {
            x ^= x >> 16;
            x *= 0x7feb352d;
            x ^= x >> 15;
            x *= 0x846ca68b;
            x ^= x >> 16;
            return x;
        }
    }

    function hits(uint32 seed, uint256 n) external pure returns (uint256 count) {
        unchecked {
            uint32 s = lowbias32(seed);
            uint32 blockIndex = 0;
            for (uint256 done = 0; done < n; ) {
                uint256 m = n - done;
                if (m > BLOCK_SAMPLES) m = BLOCK_SAMPLES;
                uint32 c = lowbias32(s + (blockIndex + 1) * PHI);
                for (uint256 j = 0; j < m; j++) {
                    uint256 x = lowbias32(c) >> 8;
                    uint256 y = lowbias32(c + PHI) >> 8;
                    if (x * x + y * y < HIT_LIMIT) count++;
                    c += STEP;
                }
                done += m;
                blockIndex++;
            }
        }
    }
}
