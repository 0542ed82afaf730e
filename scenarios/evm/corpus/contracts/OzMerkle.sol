// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// OpenZeppelin's MerkleProof over a tree with sorted-pair keccak256 nodes: each leaf comes with
/// its proof (depth words each, all in `proofs`); the answer counts the proofs that reach `root`
/// and hashes every computed root.
contract MerkleHarness {
    function verifyAll(bytes32 root, bytes32[] calldata leaves, bytes32[] calldata proofs) external pure returns (uint256 valid, bytes32 roots) {
        uint256 depth = proofs.length / leaves.length;
        for (uint256 i = 0; i < leaves.length; i++) {
            bytes32 r = MerkleProof.processProofCalldata(proofs[i * depth:(i + 1) * depth], leaves[i]);
            if (r == root) valid++;
            roots = keccak256(abi.encode(roots, r));
        }
    }
}
