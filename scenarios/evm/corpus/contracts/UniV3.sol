// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IUniswapV3Factory} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Factory.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {IUniswapV3MintCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3MintCallback.sol";
import {IUniswapV3SwapCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3SwapCallback.sol";

/// The smallest router Uniswap v3's pool needs (it pays in the pool's callbacks). setup() has the
/// factory create a 0.3% pool, initializes it at price 1 and adds four positions (narrow to full
/// range); run(n, seed) makes n swaps in alternating directions, exact input or exact output,
/// amounts from the seeded generator, and returns a checksum of every swap's deltas and of the
/// pool's final price, tick, liquidity and fee growth.
contract V3Router is IUniswapV3MintCallback, IUniswapV3SwapCallback {
    uint160 private constant MIN_SQRT_RATIO = 4295128739;
    uint160 private constant MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342;
    uint256 private constant FNV_PRIME = 0x100000001b3;

    IUniswapV3Pool public pool;
    IERC20 public token0;
    IERC20 public token1;

    function setup(IUniswapV3Factory factory, address tokenA, address tokenB) external {
        pool = IUniswapV3Pool(factory.createPool(tokenA, tokenB, 3000));
        token0 = IERC20(pool.token0());
        token1 = IERC20(pool.token1());
        pool.initialize(uint160(1 << 96));
        pool.mint(address(this), -600, 600, 1e21, "");
        pool.mint(address(this), -6000, 6000, 1e22, "");
        pool.mint(address(this), -60000, 60000, 1e22, "");
        pool.mint(address(this), -887220, 887220, 1e20, "");
    }

    function uniswapV3MintCallback(uint256 amount0Owed, uint256 amount1Owed, bytes calldata) external {
        require(msg.sender == address(pool), "not the pool");
        if (amount0Owed > 0) token0.transfer(msg.sender, amount0Owed);
        if (amount1Owed > 0) token1.transfer(msg.sender, amount1Owed);
    }

    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata) external {
        require(msg.sender == address(pool), "not the pool");
        if (amount0Delta > 0) token0.transfer(msg.sender, uint256(amount0Delta));
        if (amount1Delta > 0) token1.transfer(msg.sender, uint256(amount1Delta));
    }

    function run(uint256 n, uint256 seed) external returns (uint256 checksum) {
        uint256 x = seed;
        for (uint256 i = 0; i < n; i++) {
            unchecked {
                x = x * 6364136223846793005 + 1442695040888963407;
            }
            bool zeroForOne = i & 1 == 0;
            uint256 amount = 1e18 + (x >> 160) % 2e21;
            int256 specified = (x >> 100) & 1 == 1 ? int256(amount) : -int256(amount / 2);
            (int256 d0, int256 d1) = pool.swap(address(this), zeroForOne, specified, zeroForOne ? MIN_SQRT_RATIO + 1 : MAX_SQRT_RATIO - 1, "");
            unchecked {
                checksum = (checksum * FNV_PRIME) ^ uint256(d0);
                checksum = (checksum * FNV_PRIME) ^ uint256(d1);
            }
        }
        (uint160 sqrtPriceX96, int24 tick, , , , , ) = pool.slot0();
        unchecked {
            checksum = (checksum * FNV_PRIME) ^ sqrtPriceX96;
            checksum = (checksum * FNV_PRIME) ^ uint256(int256(tick));
            checksum = (checksum * FNV_PRIME) ^ pool.liquidity();
            checksum = (checksum * FNV_PRIME) ^ pool.feeGrowthGlobal0X128();
            checksum = (checksum * FNV_PRIME) ^ pool.feeGrowthGlobal1X128();
        }
    }
}
