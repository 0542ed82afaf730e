// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// OpenZeppelin's ERC20, deployed by its constructor: it mints `amount` to each of the eight
/// holders (0x...1000 + k) and gives `driver` an unlimited allowance over their tokens.
contract CorpusToken is ERC20 {
    constructor(uint256 amount, address driver) ERC20("Corpus Token", "CORP") {
        for (uint160 k = 0; k < 8; k++) {
            _mint(address(0x1000 + k), amount);
            _approve(address(0x1000 + k), driver, type(uint256).max);
        }
    }
}

/// The benchmark's caller: run(n, seed) makes n transferFrom calls between the holders, each
/// amount drawn from the seeded generator and bounded by the sender's balance (read with
/// balanceOf), and returns an FNV-style checksum of the holders' final balances.
contract TokenDriver {
    IERC20 public immutable token;
    uint256 private constant FNV_PRIME = 0x100000001b3;

    constructor(IERC20 token_) {
        token = token_;
    }

    function run(uint256 n, uint256 seed) external returns (uint256 checksum) {
        uint256 x = seed;
        for (uint256 i = 0; i < n; i++) {
            unchecked {
                x = x * 6364136223846793005 + 1442695040888963407;
            }
            address from = address(uint160(0x1000 + (i & 7)));
            address to = address(uint160(0x1000 + ((i + 1 + ((x >> 128) % 7)) & 7)));
            uint256 amount = (x >> 160) % (token.balanceOf(from) + 1);
            token.transferFrom(from, to, amount);
        }
        for (uint160 k = 0; k < 8; k++) {
            unchecked {
                checksum = (checksum * FNV_PRIME) ^ token.balanceOf(address(0x1000 + k));
            }
        }
    }
}
