// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// A governance token as OpenZeppelin's wizard writes it (ERC20 + ERC20Permit + ERC20Votes),
/// deployed by its constructor: eight holders (0x...1000 + k) get `amount` each and delegate
/// their votes to holder k % 3. run(n, seed) moves tokens between the holders n times (each
/// transfer moves the delegates' votes through the checkpoint history), re-delegates every 16th
/// sender, and returns a checksum of the balances, the delegates and their votes.
contract CorpusVotes is ERC20, ERC20Permit, ERC20Votes {
    uint256 private constant FNV_PRIME = 0x100000001b3;

    constructor(uint256 amount) ERC20("Corpus Votes", "CVOTE") ERC20Permit("Corpus Votes") {
        for (uint160 k = 0; k < 8; k++) {
            _mint(address(0x1000 + k), amount);
            _delegate(address(0x1000 + k), address(0x1000 + (k % 3)));
        }
    }

    function run(uint256 n, uint256 seed) external returns (uint256 checksum) {
        uint256 x = seed;
        for (uint256 i = 0; i < n; i++) {
            unchecked {
                x = x * 6364136223846793005 + 1442695040888963407;
            }
            address from = address(uint160(0x1000 + (i & 7)));
            address to = address(uint160(0x1000 + ((i + 1 + ((x >> 128) % 7)) & 7)));
            _transfer(from, to, (x >> 160) % (balanceOf(from) + 1));
            if (i % 16 == 15) _delegate(from, address(uint160(0x1000 + ((x >> 64) % 3))));
        }
        unchecked {
            for (uint160 k = 0; k < 8; k++) {
                address h = address(0x1000 + k);
                checksum = (checksum * FNV_PRIME) ^ balanceOf(h);
                checksum = (checksum * FNV_PRIME) ^ uint160(delegates(h));
                checksum = (checksum * FNV_PRIME) ^ getVotes(h);
            }
        }
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
