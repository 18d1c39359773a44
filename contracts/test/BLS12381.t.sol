// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {BLS12381} from "../src/lib/BLS12381.sol";

/// @dev Exposes the library's internal functions so that reverts can be expected.
contract BLSHarness {
    using BLS12381 for BLS12381.Hasher;

    function hashToG1(bytes memory dst, bytes memory message) external view returns (bytes memory) {
        return BLS12381.hashToG1(dst, message);
    }

    function hashSum(bytes memory dst, bytes32[] memory messages) external view returns (bytes memory) {
        BLS12381.Hasher memory h = BLS12381.newHasher(dst);
        for (uint256 i; i < messages.length; ++i) {
            h.add(messages[i]);
        }
        return h.sum();
    }

    function isCanonical(bytes memory p) external pure returns (bool) {
        return BLS12381.isCanonical(p);
    }
}

contract BLS12381Test is Test {
    BLSHarness internal bls = new BLSHarness();
    bytes internal constant QUUX = "QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_";

    function pad(bytes memory x, bytes memory y) internal pure returns (bytes memory) {
        return abi.encodePacked(bytes16(0), x, bytes16(0), y);
    }

    /// RFC 9380 Appendix J.9.1, BLS12381G1_XMD:SHA-256_SSWU_RO_.
    function test_hashToG1_matchesRFC9380() public view {
        assertEq(
            bls.hashToG1(QUUX, ""),
            pad(
                hex"052926add2207b76ca4fa57a8734416c8dc95e24501772c814278700eed6d1e4e8cf62d9c09db0fac349612b759e79a1",
                hex"08ba738453bfed09cb546dbb0783dbb3a5f1f566ed67bb6be0e8c67e2e81a4cc68ee29813bb7994998f3eae0c9c6a265"
            )
        );
        assertEq(
            bls.hashToG1(QUUX, "abc"),
            pad(
                hex"03567bc5ef9c690c2ab2ecdf6a96ef1c139cc0b2f284dca0a9a7943388a49a3aee664ba5379a7655d3c68900be2f6903",
                hex"0b9c15f3fe6e5cf4211f346271d7b01c8f3b28be689c8429c85b67af215533311f0b8dfaaa154fa6b88176c229f2885d"
            )
        );
    }

    /// The batch hasher computes exactly Σ hashToG1 of its messages.
    function testFuzz_hasher_matchesHashToG1(bytes32 a, bytes32 b, bytes32 c) public view {
        bytes memory dst = "MURMUR-V1-TICKET-CHAIN-31337-EPOCH-7_BLS12381G1_XMD:SHA-256_SSWU_RO_";
        bytes32[] memory one = new bytes32[](1);
        one[0] = a;
        assertEq(bls.hashSum(dst, one), bls.hashToG1(dst, abi.encodePacked(a)));

        bytes32[] memory three = new bytes32[](3);
        (three[0], three[1], three[2]) = (a, b, c);
        bytes memory expected = bls.hashToG1(dst, abi.encodePacked(a));
        expected = _add(expected, bls.hashToG1(dst, abi.encodePacked(b)));
        expected = _add(expected, bls.hashToG1(dst, abi.encodePacked(c)));
        assertEq(bls.hashSum(dst, three), expected);
    }

    function test_hasher_revertsWhen_dstTooLong() public {
        vm.expectRevert(BLS12381.DSTTooLong.selector);
        bls.hashSum(new bytes(256), new bytes32[](1));
    }

    function test_isCanonical() public view {
        bytes memory p = bls.hashToG1(QUUX, "abc");
        assertTrue(bls.isCanonical(p));
        assertFalse(bls.isCanonical(new bytes(127)));
        bytes memory top = bytes.concat(p);
        top[0] = 0x01;
        assertFalse(bls.isCanonical(top));
        // x = p (not reduced)
        bytes memory unreduced = pad(
            hex"1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
            new bytes(48)
        );
        assertFalse(bls.isCanonical(unreduced));
    }

    function _add(bytes memory p, bytes memory q) internal view returns (bytes memory out) {
        bool ok;
        (ok, out) = address(0x0b).staticcall(abi.encodePacked(p, q));
        require(ok, "g1add");
    }
}
