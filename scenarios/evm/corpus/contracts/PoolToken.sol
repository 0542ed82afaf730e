// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// The tokens the Uniswap pools trade: OpenZeppelin's ERC20, 10^30 minted to `holder` (the router).
contract PoolToken is ERC20 {
    constructor(string memory name_, address holder) ERC20(name_, name_) {
        _mint(holder, 1e30);
    }
}
