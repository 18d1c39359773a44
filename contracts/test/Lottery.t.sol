// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {stdJson} from "forge-std/StdJson.sol";
import {Base} from "./Base.t.sol";
import {Vault} from "../src/Vault.sol";
import {IVault} from "../src/interfaces/IVault.sol";
import {IRelayRegistry} from "../src/interfaces/IRelayRegistry.sol";

/// @dev Lottery tickets: redemption of winners, every refusal, bounces, gas, and the vectors written by the
/// Go implementation (payments/lottery → contracts/testdata/lottery.json).
contract LotteryTest is Base {
    using stdJson for string;

    bytes32 internal constant TICKET_TYPEHASH = keccak256(
        "LotteryTicket(address payer,address payee,uint256 faceValue,uint256 winProb,uint64 nonce,bytes32 commitment,uint64 expiresAt)"
    );
    uint256 internal constant SURE = type(uint256).max; // wins unless the draw is 2²⁵⁶−1

    uint256 internal payerKey = 0xB0B;
    address internal payer;
    address internal payee = makeAddr("payee");
    bytes32 internal secret = keccak256("payee secret");

    function setUp() public override {
        super.setUp();
        payer = vm.addr(payerKey);
        vm.deal(payee, 1); // an existing account, as a relay's is
    }

    function fund(address account, uint256 amount) internal {
        vm.deal(account, account.balance + amount);
        vm.prank(account);
        vault.deposit{value: amount}();
    }

    /// @dev The digest, encoded here independently of the contract's own function.
    function ticketDigest(address v, IVault.LotteryTicket memory t) internal view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                TICKET_TYPEHASH, t.payer, t.payee, t.faceValue, t.winProb, t.nonce, t.commitment, t.expiresAt
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(block.chainid, v), structHash));
    }

    function ticket(uint256 face, uint256 prob, uint64 nonce)
        internal
        view
        returns (IVault.LotteryTicket memory)
    {
        return IVault.LotteryTicket({
            payer: payer,
            payee: payee,
            faceValue: face,
            winProb: prob,
            nonce: nonce,
            commitment: keccak256(abi.encode(secret)),
            expiresAt: uint64(block.timestamp + 1 hours)
        });
    }

    function one(IVault.LotteryTicket memory t, uint256 key, bytes32 s)
        internal
        view
        returns (IVault.LotteryTicket[] memory ts, bytes[] memory sigs, bytes32[] memory secrets)
    {
        ts = new IVault.LotteryTicket[](1);
        sigs = new bytes[](1);
        secrets = new bytes32[](1);
        ts[0] = t;
        sigs[0] = signDigest(key, ticketDigest(address(vault), t));
        secrets[0] = s;
    }

    function redeem(IVault.LotteryTicket memory t) internal returns (uint256) {
        (IVault.LotteryTicket[] memory ts, bytes[] memory sigs, bytes32[] memory secrets) =
            one(t, payerKey, secret);
        vm.prank(payee);
        return vault.redeemTickets(payee, ts, sigs, secrets);
    }

    function expectRefused(IVault.LotteryTicket memory t, uint256 key, bytes32 s, bytes memory err) internal {
        (IVault.LotteryTicket[] memory ts, bytes[] memory sigs, bytes32[] memory secrets) = one(t, key, s);
        vm.expectRevert(err);
        vm.prank(payee);
        vault.redeemTickets(payee, ts, sigs, secrets);
    }

    // --- redemption ---------------------------------------------------------------------------

    function test_redeem_paysFaceValueAndAdvancesNonce() public {
        fund(payer, 1 ether);
        IVault.LotteryTicket memory t = ticket(0.25 ether, SURE, 5);
        assertEq(vault.ticketDigest(t), ticketDigest(address(vault), t), "digest");
        vm.expectEmit(address(vault));
        emit IVault.TicketRedeemed(payer, payee, 5, 0.25 ether);
        assertEq(redeem(t), 0.25 ether);
        assertEq(payee.balance, 1 + 0.25 ether);
        assertEq(vault.balanceOf(payer), 0.75 ether);
        assertEq(vault.nextTicketNonce(payer, payee), 6);
        // A later nonce still pays; the same one, or a lower one, never again.
        assertEq(redeem(ticket(0.25 ether, SURE, 9)), 0.25 ether);
        expectRefused(
            ticket(0.25 ether, SURE, 9),
            payerKey,
            secret,
            abi.encodeWithSelector(IVault.TicketReplayed.selector, 0, 9, 10)
        );
        expectRefused(
            ticket(0.25 ether, SURE, 7),
            payerKey,
            secret,
            abi.encodeWithSelector(IVault.TicketReplayed.selector, 0, 7, 10)
        );
    }

    /// Nobody but the payee redeems: not the payer front-running the payee's batch with a copy of its
    /// highest-nonce ticket, which would void the batch's other wins.
    function test_redeem_revertsWhen_notThePayee() public {
        fund(payer, 1 ether);
        (IVault.LotteryTicket[] memory ts, bytes[] memory sigs, bytes32[] memory secrets) =
            one(ticket(1 ether, SURE, 0), payerKey, secret);
        vm.expectRevert(abi.encodeWithSelector(IVault.NotPayee.selector, payer, payee));
        vm.prank(payer);
        vault.redeemTickets(payee, ts, sigs, secrets);
    }

    function test_redeem_revertsWhen_notWinning() public {
        fund(payer, 1 ether);
        expectRefused(
            ticket(1 ether, 1, 0),
            payerKey,
            secret,
            abi.encodeWithSelector(IVault.TicketNotWinning.selector, 0)
        );
    }

    function test_redeem_revertsWhen_revealDoesNotMatch() public {
        fund(payer, 1 ether);
        expectRefused(
            ticket(1 ether, SURE, 0),
            payerKey,
            keccak256("guess"),
            abi.encodeWithSelector(IVault.BadReveal.selector, 0)
        );
    }

    function test_redeem_revertsWhen_expired() public {
        fund(payer, 1 ether);
        IVault.LotteryTicket memory t = ticket(1 ether, SURE, 0);
        (IVault.LotteryTicket[] memory ts, bytes[] memory sigs, bytes32[] memory secrets) =
            one(t, payerKey, secret);
        vm.warp(t.expiresAt + 1);
        vm.expectRevert(abi.encodeWithSelector(IVault.TicketExpired.selector, 0, t.expiresAt));
        vm.prank(payee);
        vault.redeemTickets(payee, ts, sigs, secrets);
    }

    function test_redeem_revertsWhen_notThePayersSignature() public {
        fund(payer, 1 ether);
        expectRefused(
            ticket(1 ether, SURE, 0), 0xBAD, secret, abi.encodeWithSelector(IVault.InvalidSignature.selector)
        );
    }

    function test_redeem_revertsWhen_faceValueRaised() public {
        fund(payer, 2 ether);
        IVault.LotteryTicket memory t = ticket(1 ether, SURE, 0);
        (IVault.LotteryTicket[] memory ts, bytes[] memory sigs, bytes32[] memory secrets) =
            one(t, payerKey, secret);
        ts[0].faceValue = 2 ether;
        vm.expectRevert(IVault.InvalidSignature.selector);
        vm.prank(payee);
        vault.redeemTickets(payee, ts, sigs, secrets);
    }

    function test_redeem_revertsWhen_signatureMalleable() public {
        fund(payer, 1 ether);
        IVault.LotteryTicket memory t = ticket(1 ether, SURE, 0);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(payerKey, ticketDigest(address(vault), t));
        uint256 n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
        (IVault.LotteryTicket[] memory ts, bytes[] memory sigs, bytes32[] memory secrets) =
            one(t, payerKey, secret);
        sigs[0] = abi.encodePacked(r, bytes32(n - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(IVault.InvalidSignature.selector);
        vm.prank(payee);
        vault.redeemTickets(payee, ts, sigs, secrets);
    }

    function test_redeem_revertsWhen_ticketForAnotherPayee() public {
        fund(payer, 1 ether);
        IVault.LotteryTicket memory t = ticket(1 ether, SURE, 0);
        t.payee = makeAddr("someone else");
        expectRefused(t, payerKey, secret, abi.encodeWithSelector(IVault.WrongPayee.selector, 0));
    }

    function test_redeem_revertsWhen_payerPaysItself() public {
        fund(payer, 1 ether);
        IVault.LotteryTicket memory t = ticket(1 ether, SURE, 0);
        t.payee = payer;
        (IVault.LotteryTicket[] memory ts, bytes[] memory sigs, bytes32[] memory secrets) =
            one(t, payerKey, secret);
        vm.expectRevert(abi.encodeWithSelector(IVault.WrongPayee.selector, 0));
        vm.prank(payer);
        vault.redeemTickets(payer, ts, sigs, secrets);
    }

    function test_redeem_revertsWhen_badBatch() public {
        (IVault.LotteryTicket[] memory ts, bytes[] memory sigs, bytes32[] memory secrets) =
            one(ticket(1 ether, SURE, 0), payerKey, secret);
        vm.expectRevert(IVault.BadBatch.selector);
        vm.prank(payee);
        vault.redeemTickets(payee, ts, new bytes[](0), secrets);
        vm.expectRevert(IVault.BadBatch.selector);
        vm.prank(payee);
        vault.redeemTickets(payee, new IVault.LotteryTicket[](0), new bytes[](0), new bytes32[](0));
        sigs; // the full batch is valid: only the lengths are wrong above
    }

    /// A payer whose deposit cannot cover a winner pays from its stake and is jailed; with neither, the
    /// redemption reverts and the payee keeps its claim.
    function test_redeem_bounceFallsOnStakeAndJails() public {
        register(payer, 2 ether, keccak256("payer node"));
        fund(payer, 0.5 ether);
        assertEq(redeem(ticket(1 ether, SURE, 0)), 1 ether);
        assertEq(vault.balanceOf(payer), 0);
        assertEq(registry.stakeOf(payer), 1.5 ether);
        assertEq(uint8(registry.relay(payer).status), uint8(IRelayRegistry.Status.Jailed));
    }

    function test_redeem_revertsWhen_uncovered() public {
        IVault.LotteryTicket memory t = ticket(1 ether, SURE, 0);
        expectRefused(
            t, payerKey, secret, abi.encodeWithSelector(IVault.ChequeUncovered.selector, payer, 1 ether)
        );
        fund(payer, 1 ether);
        assertEq(redeem(t), 1 ether, "the same winner pays once the deposit is there");
    }

    /// Whatever the ticket, it pays its face value exactly when its draw is under its threshold, and
    /// reverts otherwise.
    function testFuzz_redeem_paysExactlyTheWinners(uint128 face, uint256 prob, bytes32 s, uint64 nonce)
        public
    {
        face = uint128(bound(face, 1, 10 ether));
        nonce = uint64(bound(nonce, 0, type(uint64).max - 1));
        secret = s;
        fund(payer, 10 ether);
        IVault.LotteryTicket memory t = ticket(face, prob, nonce);
        bool wins = uint256(keccak256(abi.encode(ticketDigest(address(vault), t), s))) < prob;
        (IVault.LotteryTicket[] memory ts, bytes[] memory sigs, bytes32[] memory secrets) =
            one(t, payerKey, s);
        if (!wins) vm.expectRevert(abi.encodeWithSelector(IVault.TicketNotWinning.selector, 0));
        vm.prank(payee);
        uint256 paid = vault.redeemTickets(payee, ts, sigs, secrets);
        assertEq(paid, wins ? face : 0);
        assertEq(vault.balanceOf(payer), 10 ether - paid);
    }

    // --- gas ------------------------------------------------------------------------------------

    function test_gas_redeem() public {
        fund(payer, 1 ether);
        redeem(ticket(0.01 ether, SURE, 0));
        vm.snapshotGasLastCall("Vault", "redeem_ticket_first");
        // The pair's nonce word exists now: what a relay pays for each later win of the same payer.
        redeem(ticket(0.01 ether, SURE, 1));
        vm.snapshotGasLastCall("Vault", "redeem_ticket_next");
    }

    /// 100 winners from 10 payers in one transaction, as a relay paid by many neighbours claims them.
    function test_gas_redeem100() public {
        uint256 n = 100;
        IVault.LotteryTicket[] memory ts = new IVault.LotteryTicket[](n);
        bytes[] memory sigs = new bytes[](n);
        bytes32[] memory secrets = new bytes32[](n);
        for (uint256 p; p < 10; ++p) {
            uint256 key = 0x1000 + p;
            fund(vm.addr(key), 1 ether);
            for (uint256 k; k < 10; ++k) {
                uint256 i = p * 10 + k;
                ts[i] = ticket(0.01 ether, SURE, uint64(k));
                ts[i].payer = vm.addr(key);
                sigs[i] = signDigest(key, ticketDigest(address(vault), ts[i]));
                secrets[i] = secret;
            }
        }
        vm.prank(payee);
        vault.redeemTickets(payee, ts, sigs, secrets);
        uint256 gas = vm.snapshotGasLastCall("Vault", "redeem_ticket_100");
        vm.snapshotValue("Vault", "redeem_ticket_100_per_ticket", gas / n);
        assertEq(payee.balance, 1 + 1 ether);
    }

    // --- vectors --------------------------------------------------------------------------------

    /// The Go implementation's digests, signatures and draws, checked against a vault deployed at the
    /// address the vectors were made for.
    function test_vectors_matchGo() public {
        string memory json = vm.readFile("contracts/testdata/lottery.json");
        assertEq(json.readUint(".chainId"), block.chainid, "vectors were made for this test chain");
        address at = json.readAddress(".vault");
        deployCodeTo("Vault.sol:Vault", abi.encode(address(registry), NOTICE), at);
        Vault v = Vault(payable(at));
        assertEq(v.domainSeparator(), json.readBytes32(".separator"), "domain separator");
        uint256 wins;
        for (uint256 i; json.keyExists(string.concat(".vectors[", vm.toString(i), "]")); ++i) {
            string memory p = string.concat(".vectors[", vm.toString(i), "]");
            IVault.LotteryTicket[] memory ts = new IVault.LotteryTicket[](1);
            ts[0] = IVault.LotteryTicket({
                payer: json.readAddress(string.concat(p, ".payer")),
                payee: json.readAddress(string.concat(p, ".payee")),
                faceValue: vm.parseUint(json.readString(string.concat(p, ".faceValue"))),
                winProb: vm.parseUint(json.readString(string.concat(p, ".winProb"))),
                nonce: uint64(json.readUint(string.concat(p, ".nonce"))),
                commitment: json.readBytes32(string.concat(p, ".commitment")),
                expiresAt: uint64(json.readUint(string.concat(p, ".expiresAt")))
            });
            bytes32 d = json.readBytes32(string.concat(p, ".digest"));
            assertEq(v.ticketDigest(ts[0]), d, "digest");
            assertEq(ticketDigest(at, ts[0]), d, "independent digest");
            bytes32[] memory secrets = new bytes32[](1);
            secrets[0] = json.readBytes32(string.concat(p, ".secret"));
            assertEq(
                keccak256(abi.encode(d, secrets[0])), json.readBytes32(string.concat(p, ".draw")), "draw"
            );
            bytes[] memory sigs = new bytes[](1);
            sigs[0] = vm.parseBytes(json.readString(string.concat(p, ".signature")));
            vm.warp(ts[0].expiresAt);
            vm.deal(ts[0].payer, ts[0].faceValue);
            vm.prank(ts[0].payer);
            v.deposit{value: ts[0].faceValue}();
            if (json.readBool(string.concat(p, ".wins"))) {
                vm.prank(ts[0].payee);
                assertEq(v.redeemTickets(ts[0].payee, ts, sigs, secrets), ts[0].faceValue, "a winner pays");
                ++wins;
            } else {
                vm.expectRevert(abi.encodeWithSelector(IVault.TicketNotWinning.selector, 0));
                vm.prank(ts[0].payee);
                v.redeemTickets(ts[0].payee, ts, sigs, secrets);
            }
        }
        assertGt(wins, 0, "the vectors hold winners");
    }
}
