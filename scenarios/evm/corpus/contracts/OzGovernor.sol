// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// The voting token: 64 voters (0x...2000 + k) hold (k + 1) tokens each and delegate to themselves.
contract GovToken is ERC20, ERC20Permit, ERC20Votes {
    constructor() ERC20("Corpus Governance", "CGOV") ERC20Permit("Corpus Governance") {
        for (uint160 k = 0; k < 64; k++) {
            _mint(address(0x2000 + k), (k + 1) * 1e18);
            _delegate(address(0x2000 + k), address(0x2000 + k));
        }
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}

/// A governor as OpenZeppelin's wizard writes it (settings, simple counting, token votes, quorum
/// fraction). open(count) makes `count` proposals (a set-up transaction, one block before the
/// workload's); run(n, seed) casts n votes, proposal i % count by voter i / count with a support
/// drawn from the seeded generator, and returns a checksum of every proposal's state and tallies.
contract CorpusGovernor is Governor, GovernorSettings, GovernorCountingSimple, GovernorVotes, GovernorVotesQuorumFraction {
    uint256 private constant FNV_PRIME = 0x100000001b3;
    uint256[] public proposalIds;

    constructor(IVotes token)
        Governor("Corpus Governor")
        GovernorSettings(1, 50400, 0)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(4)
    {}

    function open(uint256 count) external {
        for (uint256 p = 0; p < count; p++) {
            address[] memory targets = new address[](1);
            uint256[] memory values = new uint256[](1);
            bytes[] memory calldatas = new bytes[](1);
            targets[0] = address(this);
            calldatas[0] = abi.encodeWithSignature("setVotingPeriod(uint32)", uint32(100 + p));
            proposalIds.push(propose(targets, values, calldatas, string.concat("proposal #", _decimal(p))));
        }
    }

    function run(uint256 n, uint256 seed) external returns (uint256 checksum) {
        uint256 count = proposalIds.length;
        uint256 x = seed;
        for (uint256 i = 0; i < n; i++) {
            unchecked {
                x = x * 6364136223846793005 + 1442695040888963407;
            }
            _castVote(proposalIds[i % count], address(uint160(0x2000 + i / count)), uint8((x >> 128) % 3), "");
        }
        unchecked {
            for (uint256 p = 0; p < count; p++) {
                uint256 id = proposalIds[p];
                (uint256 against, uint256 forVotes, uint256 abstain) = proposalVotes(id);
                checksum = (checksum * FNV_PRIME) ^ uint256(state(id));
                checksum = (checksum * FNV_PRIME) ^ against;
                checksum = (checksum * FNV_PRIME) ^ forVotes;
                checksum = (checksum * FNV_PRIME) ^ abstain;
            }
        }
    }

    function _decimal(uint256 v) private pure returns (string memory) {
        if (v < 10) return string(abi.encodePacked(bytes1(uint8(48 + v))));
        return string(abi.encodePacked(bytes1(uint8(48 + v / 10)), bytes1(uint8(48 + (v % 10)))));
    }

    // the overrides Solidity requires (as the wizard writes them)
    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    function quorum(uint256 blockNumber) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return super.quorum(blockNumber);
    }

    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }
}
