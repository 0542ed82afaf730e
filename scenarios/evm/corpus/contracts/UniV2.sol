// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IUniswapV2Factory} from "@uniswap/v2-core/contracts/interfaces/IUniswapV2Factory.sol";
import {IUniswapV2Pair} from "@uniswap/v2-core/contracts/interfaces/IUniswapV2Pair.sol";

/// A router for Uniswap v2's pair as its periphery does it: setup() has the factory create the
/// pair and deposits 10^24 of each token; run(n, seed) makes n swaps, each direction and input
/// amount from the seeded generator, the output from the reserves with the 0.3% fee, and returns a
/// checksum of the outputs and of the final reserves.
contract V2Router {
    uint256 private constant FNV_PRIME = 0x100000001b3;

    IUniswapV2Pair public pair;
    IERC20 public token0;
    IERC20 public token1;

    function setup(IUniswapV2Factory factory, address tokenA, address tokenB) external {
        pair = IUniswapV2Pair(factory.createPair(tokenA, tokenB));
        token0 = IERC20(pair.token0());
        token1 = IERC20(pair.token1());
        token0.transfer(address(pair), 1e24);
        token1.transfer(address(pair), 1e24);
        pair.mint(address(this));
    }

    function run(uint256 n, uint256 seed) external returns (uint256 checksum) {
        uint256 x = seed;
        for (uint256 i = 0; i < n; i++) {
            unchecked {
                x = x * 6364136223846793005 + 1442695040888963407;
            }
            bool zeroForOne = (x >> 100) & 1 == 0;
            uint256 amountIn = 1e15 + (x >> 160) % 1e22;
            (uint112 r0, uint112 r1, ) = pair.getReserves();
            (uint256 reserveIn, uint256 reserveOut) = zeroForOne ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
            uint256 amountOut = (amountIn * 997 * reserveOut) / (reserveIn * 1000 + amountIn * 997);
            (zeroForOne ? token0 : token1).transfer(address(pair), amountIn);
            pair.swap(zeroForOne ? 0 : amountOut, zeroForOne ? amountOut : 0, address(this), "");
            unchecked {
                checksum = (checksum * FNV_PRIME) ^ amountOut;
            }
        }
        (uint112 f0, uint112 f1, ) = pair.getReserves();
        unchecked {
            checksum = (checksum * FNV_PRIME) ^ f0;
            checksum = (checksum * FNV_PRIME) ^ f1;
        }
    }
}
