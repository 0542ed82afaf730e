// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// The part of elliptic-solidity's EllipticCurve (secp256r1, Solidity 0.5) that the driver calls.
interface IEllipticCurve {
    function multiplyScalar(uint256 x0, uint256 y0, uint256 scalar) external pure returns (uint256 x1, uint256 y1);
}

/// Calls the deployed EllipticCurve contract n times: P = k_i * P from the generator, each scalar
/// k_i drawn from the seeded generator; returns the last point.
contract EcMulDriver {
    uint256 private constant GX = 0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296;
    uint256 private constant GY = 0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5;

    function run(IEllipticCurve curve, uint256 n, uint256 seed) external view returns (uint256 x, uint256 y) {
        (x, y) = (GX, GY);
        uint256 k = seed;
        for (uint256 i = 0; i < n; i++) {
            unchecked {
                k = k * 6364136223846793005 + 1442695040888963407;
            }
            (x, y) = curve.multiplyScalar(x, y, k);
        }
    }
}
