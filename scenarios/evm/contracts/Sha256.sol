// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// SHA-256 (FIPS 180-4) in plain Solidity: no precompile, no assembly. The large-contract
/// workload: message padding, the 64-word message schedule and the compression function with
/// its rounds unrolled eight at a time (the working variables rotate by name, not by copying).
contract Sha256 {
    /// SHA-256 of the n-byte message derived from the seed (see message()).
    function digest(uint32 seed, uint256 n) external pure returns (bytes32) {
        return sha256Of(message(seed, n));
    }

    /// SHA-256 of any data.
    function hash(bytes calldata data) external pure returns (bytes32) {
        return sha256Of(data);
    }

    /// Byte i of the message: a lowbias32-style mix of the counter seed + i * golden ratio.
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

    function sha256Of(bytes memory data) internal pure returns (bytes32) {
        uint32[64] memory k = [
            uint32(0x428a2f98), 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
        ];
        uint32[8] memory h = [
            uint32(0x6a09e667), 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
        ];
        uint32[64] memory w;
        bytes memory padded = pad(data);
        unchecked {
            for (uint256 off = 0; off < padded.length; off += 64) {
                schedule(w, padded, off);
                compress(h, w, k);
            }
        }
        uint256 out;
        for (uint256 i = 0; i < 8; i++) {
            out = (out << 32) | h[i];
        }
        return bytes32(out);
    }

    /// data ++ 0x80 ++ zeros ++ the bit length as a 64-bit big-endian number, a multiple of 64 bytes.
    function pad(bytes memory data) internal pure returns (bytes memory p) {
        uint256 len = data.length;
        uint256 total = ((len + 9 + 63) / 64) * 64;
        p = new bytes(total);
        for (uint256 i = 0; i < len; i++) {
            p[i] = data[i];
        }
        p[len] = 0x80;
        uint256 bits = len * 8;
        for (uint256 j = 0; j < 8; j++) {
            p[total - 1 - j] = bytes1(uint8(bits >> (8 * j)));
        }
    }

    function schedule(uint32[64] memory w, bytes memory p, uint256 off) internal pure {
        unchecked {
            for (uint256 t = 0; t < 16; t++) {
                uint256 o = off + 4 * t;
                w[t] = (uint32(uint8(p[o])) << 24) | (uint32(uint8(p[o + 1])) << 16) | (uint32(uint8(p[o + 2])) << 8) | uint32(uint8(p[o + 3]));
            }
            for (uint256 t = 16; t < 64; t++) {
                uint32 x = w[t - 15];
                uint32 y = w[t - 2];
                uint32 s0 = ((x >> 7) | (x << 25)) ^ ((x >> 18) | (x << 14)) ^ (x >> 3);
                uint32 s1 = ((y >> 17) | (y << 15)) ^ ((y >> 19) | (y << 13)) ^ (y >> 10);
                w[t] = w[t - 16] + s0 + w[t - 7] + s1;
            }
        }
    }

    function compress(uint32[8] memory h, uint32[64] memory w, uint32[64] memory k) internal pure {
        uint32 a = h[0];
        uint32 b = h[1];
        uint32 c = h[2];
        uint32 d = h[3];
        uint32 e = h[4];
        uint32 f = h[5];
        uint32 g = h[6];
        uint32 hh = h[7];
        unchecked {
            for (uint256 t = 0; t < 64; t += 8) {
                // one round: H += S1(E) + Ch(E, F, G) + K + W (T1); D += T1; H = T1 + S0(A) + Maj(A, B, C)
                hh += bsig1(e) + ch(e, f, g) + k[t] + w[t];
                d += hh;
                hh += bsig0(a) + maj(a, b, c);
                g += bsig1(d) + ch(d, e, f) + k[t + 1] + w[t + 1];
                c += g;
                g += bsig0(hh) + maj(hh, a, b);
                f += bsig1(c) + ch(c, d, e) + k[t + 2] + w[t + 2];
                b += f;
                f += bsig0(g) + maj(g, hh, a);
                e += bsig1(b) + ch(b, c, d) + k[t + 3] + w[t + 3];
                a += e;
                e += bsig0(f) + maj(f, g, hh);
                d += bsig1(a) + ch(a, b, c) + k[t + 4] + w[t + 4];
                hh += d;
                d += bsig0(e) + maj(e, f, g);
                c += bsig1(hh) + ch(hh, a, b) + k[t + 5] + w[t + 5];
                g += c;
                c += bsig0(d) + maj(d, e, f);
                b += bsig1(g) + ch(g, hh, a) + k[t + 6] + w[t + 6];
                f += b;
                b += bsig0(c) + maj(c, d, e);
                a += bsig1(f) + ch(f, g, hh) + k[t + 7] + w[t + 7];
                e += a;
                a += bsig0(b) + maj(b, c, d);
            }
            h[0] += a;
            h[1] += b;
            h[2] += c;
            h[3] += d;
            h[4] += e;
            h[5] += f;
            h[6] += g;
            h[7] += hh;
        }
    }

    function bsig0(uint32 x) private pure returns (uint32) {
        return ((x >> 2) | (x << 30)) ^ ((x >> 13) | (x << 19)) ^ ((x >> 22) | (x << 10));
    }

    function bsig1(uint32 x) private pure returns (uint32) {
        return ((x >> 6) | (x << 26)) ^ ((x >> 11) | (x << 21)) ^ ((x >> 25) | (x << 7));
    }

    function ch(uint32 x, uint32 y, uint32 z) private pure returns (uint32) {
        return (x & y) ^ (~x & z);
    }

    function maj(uint32 x, uint32 y, uint32 z) private pure returns (uint32) {
        return (x & y) ^ (x & z) ^ (y & z);
    }
}
