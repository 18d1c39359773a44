// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {stdJson} from "forge-std/StdJson.sol";
import {BLSHelpers} from "./TicketIssuer.t.sol";
import {BLS12381} from "../src/lib/BLS12381.sol";

/// @dev Checks the Solidity verifier against vectors written by the Go implementation
/// (payments/tickets/internal/vectorgen → contracts/testdata/tickets.json), so that Go and Solidity agree
/// on hash-to-curve, point encodings, keys and signatures byte for byte.
contract TicketVectorsTest is BLSHelpers {
    using stdJson for string;

    string internal json;
    address internal issuer = makeAddr("vector issuer");
    address internal provider = makeAddr("vector provider");
    uint64 internal keyEpoch;
    uint128 internal constant VALUE = 0.002 ether;

    function setUp() public override {
        super.setUp();
        json = vm.readFile("contracts/testdata/tickets.json");
        assertEq(json.readUint(".chainId"), block.chainid, "vectors were made for this test chain");
        keyEpoch = uint64(json.readUint(".keyEpoch"));
        uint8 roles = registry.ROLE_ISSUER();
        vm.deal(issuer, 5 ether);
        vm.prank(issuer);
        registry.register{value: 5 ether}(roles, keccak256("vector issuer node"), ADDRS);
        bytes memory pk = json.readBytes(".publicKey");
        vm.prank(issuer);
        tickets.publishKey(keyEpoch, pk, VALUE, uint64(block.timestamp + 1 days));
    }

    /// @dev The number of entries of the array at `path`.
    function count(string memory path) internal view returns (uint256 n) {
        while (json.keyExists(string.concat(path, "[", vm.toString(n), "]"))) {
            ++n;
        }
    }

    function serialAt(uint256 i) internal view returns (bytes32) {
        return json.readBytes32(string.concat(".tickets[", vm.toString(i), "].serial"));
    }

    function test_vectors_dstMatches() public view {
        assertEq(tickets.ticketDST(keyEpoch), bytes(json.readString(".dst")));
    }

    function test_vectors_publicKeyIsSkTimesG2() public view {
        assertEq(g2Mul(G2_GEN, json.readUint(".secretKey")), json.readBytes(".publicKey"));
    }

    function test_vectors_hashToCurve() public view {
        uint256 n = count(".hashToCurve");
        assertGe(n, 4);
        for (uint256 i; i < n; ++i) {
            string memory p = string.concat(".hashToCurve[", vm.toString(i), "]");
            bytes memory dst = bytes(json.readString(string.concat(p, ".dst")));
            bytes memory msg_ = json.readBytes(string.concat(p, ".msg"));
            assertEq(BLS12381.hashToG1(dst, msg_), json.readBytes(string.concat(p, ".point")), p);
        }
    }

    function test_vectors_ticketsSignAndBlind() public view {
        uint256 sk = json.readUint(".secretKey");
        uint256 n = count(".tickets");
        assertGe(n, 8);
        bytes memory dst = tickets.ticketDST(keyEpoch);
        for (uint256 i; i < n; ++i) {
            string memory p = string.concat(".tickets[", vm.toString(i), "]");
            bytes32 serial = json.readBytes32(string.concat(p, ".serial"));
            bytes memory h = BLS12381.hashToG1(dst, abi.encodePacked(serial));
            assertEq(h, json.readBytes(string.concat(p, ".hashPoint")), "hash point");
            // blinded = r·H, blind signature = sk·blinded, signature = sk·H
            uint256 r = json.readUint(string.concat(p, ".blindingFactor"));
            assertEq(g1Mul(h, r), json.readBytes(string.concat(p, ".blinded")), "blinded");
            assertEq(
                g1Mul(json.readBytes(string.concat(p, ".blinded")), sk),
                json.readBytes(string.concat(p, ".blindSignature")),
                "blind signature"
            );
            assertEq(g1Mul(h, sk), json.readBytes(string.concat(p, ".signature")), "signature");
        }
    }

    /// Tickets made in Go (blinded, signed, unblinded) redeem on-chain, one by one and as a batch.
    function test_vectors_redeemOnChain() public {
        uint256 n = count(".tickets");
        assertGe(n, 2);
        bytes32[] memory serials = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            serials[i] = serialAt(i);
        }

        // The first alone, with its own signature.
        bytes32[] memory one = new bytes32[](1);
        one[0] = serials[0];
        vm.prank(provider);
        tickets.redeem(issuer, keyEpoch, VALUE, one, json.readBytes(".tickets[0].signature"));

        // The rest as one batch, with the sum of their Go signatures.
        bytes32[] memory rest = new bytes32[](n - 1);
        bytes memory agg = new bytes(128);
        for (uint256 i = 1; i < n; ++i) {
            rest[i - 1] = serials[i];
            agg = BLS12381.g1Add(
                agg, json.readBytes(string.concat(".tickets[", vm.toString(i), "].signature"))
            );
        }
        vm.prank(provider);
        uint256 paid = tickets.redeem(issuer, keyEpoch, VALUE, rest, agg);
        assertEq(paid, (n - 1) * VALUE);
        assertEq(provider.balance, n * VALUE);
    }
}
