// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// An ERC-20 style token (checked arithmetic, Transfer / Approval events) with a benchmark entry
/// point: run(n, seed) mints to the caller, then makes n transfers between four holders with
/// amounts from a seeded generator, and returns a checksum of the holders' balances.
contract Token {
    string public constant name = "Bench Token";
    string public constant symbol = "BENCH";
    uint8 public constant decimals = 18;
    uint256 private constant MINTED = 1e24;
    uint256 private constant FNV_PRIME = 0x100000001b3;

    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    error InsufficientBalance(address from, uint256 balance, uint256 needed);
    error InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    error ZeroAddress();

    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        _approve(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < value) revert InsufficientAllowance(msg.sender, allowed, value);
            unchecked {
                _approve(from, msg.sender, allowed - value);
            }
        }
        _transfer(from, to, value);
        return true;
    }

    function run(uint256 n, uint256 seed) external returns (uint256 checksum) {
        address[4] memory holders = [msg.sender, address(uint160(0x1001)), address(uint160(0x1002)), address(uint160(0x1003))];
        _mint(msg.sender, MINTED);
        uint256 x = seed;
        for (uint256 i = 0; i < n; i++) {
            unchecked {
                x = x * 6364136223846793005 + 1442695040888963407;
            }
            address from = holders[i & 3];
            address to = holders[(i + 1 + ((x >> 128) % 3)) & 3];
            uint256 amount = (x >> 160) % (balanceOf[from] + 1);
            _transfer(from, to, amount);
        }
        unchecked {
            for (uint256 k = 0; k < 4; k++) {
                checksum = (checksum * FNV_PRIME) ^ balanceOf[holders[k]];
            }
        }
    }

    function _transfer(address from, address to, uint256 value) internal {
        if (to == address(0)) revert ZeroAddress();
        uint256 balance = balanceOf[from];
        if (balance < value) revert InsufficientBalance(from, balance, value);
        unchecked {
            balanceOf[from] = balance - value;
        }
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }

    function _mint(address to, uint256 value) internal {
        if (to == address(0)) revert ZeroAddress();
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    function _approve(address owner, address spender, uint256 value) internal {
        if (spender == address(0)) revert ZeroAddress();
        allowance[owner][spender] = value;
        emit Approval(owner, spender, value);
    }
}
