// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base, Refuser} from "./Base.t.sol";
import {Vault} from "../src/Vault.sol";
import {IVault} from "../src/interfaces/IVault.sol";
import {IRelayRegistry} from "../src/interfaces/IRelayRegistry.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

contract VaultTest is Base {
    uint256 internal payerKey = 0xA11CE;
    address internal payer;
    address internal payee = makeAddr("payee");
    address internal other = makeAddr("other");

    function setUp() public override {
        super.setUp();
        payer = vm.addr(payerKey);
    }

    function fund(address account, uint256 amount) internal {
        vm.deal(account, account.balance + amount);
        vm.prank(account);
        vault.deposit{value: amount}();
    }

    // --- deposit -----------------------------------------------------------------------------

    function test_deposit_credits() public {
        vm.deal(payer, 3 ether);
        vm.expectEmit(address(vault));
        emit IVault.Deposited(payer, 1 ether, 1 ether);
        vm.prank(payer);
        vault.deposit{value: 1 ether}();
        vm.prank(payer);
        vault.deposit{value: 2 ether}();
        assertEq(vault.balanceOf(payer), 3 ether);
        assertEq(address(vault).balance, 3 ether);
    }

    function test_depositFor_creditsAccount() public {
        vm.deal(other, 1 ether);
        vm.prank(other);
        vault.depositFor{value: 1 ether}(payer);
        assertEq(vault.balanceOf(payer), 1 ether);
        assertEq(vault.balanceOf(other), 0);
    }

    function test_deposit_revertsWhen_zero() public {
        vm.expectRevert(IVault.ZeroAmount.selector);
        vault.deposit();
    }

    function test_deposit_revertsWhen_balanceOverflows() public {
        vm.deal(payer, type(uint256).max);
        vm.startPrank(payer);
        vault.deposit{value: type(uint128).max}();
        vm.expectRevert(IVault.BalanceOverflow.selector);
        vault.deposit{value: 1}();
        vm.stopPrank();
    }

    // --- cash --------------------------------------------------------------------------------

    function test_cash_paysDifference() public {
        fund(payer, 10 ether);
        IVault.Cheque memory c = cheque(payer, payee, 1 ether);
        vm.expectEmit(address(vault));
        emit IVault.ChequeCashed(payer, payee, 1 ether, 1 ether);
        uint256 paid = vault.cash(c, sign(payerKey, c));
        assertEq(paid, 1 ether);
        assertEq(payee.balance, 1 ether);

        c.cumulativeAmount = 2.5 ether;
        paid = vault.cash(c, sign(payerKey, c));
        assertEq(paid, 1.5 ether);
        assertEq(payee.balance, 2.5 ether);
        assertEq(vault.cashed(payer, payee), 2.5 ether);
        assertEq(vault.balanceOf(payer), 7.5 ether);
        assertEq(address(vault).balance, 7.5 ether);
    }

    function test_cash_digestMatchesIndependentEncoding() public view {
        IVault.Cheque memory c = cheque(payer, payee, 123);
        bytes32 domain = domainSeparator(block.chainid, address(vault));
        assertEq(vault.domainSeparator(), domain);
        assertEq(vault.chequeDigest(c), digest(domain, c));
    }

    function test_cash_byThirdPartyPaysPayee() public {
        fund(payer, 1 ether);
        IVault.Cheque memory c = cheque(payer, payee, 1 ether);
        bytes memory sig = sign(payerKey, c);
        vm.prank(other);
        vault.cash(c, sig);
        assertEq(payee.balance, 1 ether);
        assertEq(other.balance, 0);
    }

    function test_cash_revertsWhen_signerIsNotPayer() public {
        fund(payer, 1 ether);
        IVault.Cheque memory c = cheque(payer, payee, 1 ether);
        bytes memory sig = sign(0xB0B, c);
        vm.expectRevert(IVault.InvalidSignature.selector);
        vault.cash(c, sig);
    }

    function test_cash_revertsWhen_amountRaised() public {
        fund(payer, 5 ether);
        IVault.Cheque memory c = cheque(payer, payee, 1 ether);
        bytes memory sig = sign(payerKey, c);
        c.cumulativeAmount = 2 ether;
        vm.expectRevert(IVault.InvalidSignature.selector);
        vault.cash(c, sig);
    }

    function test_cash_revertsWhen_chequeForAnotherPayee() public {
        fund(payer, 1 ether);
        IVault.Cheque memory c = cheque(payer, payee, 1 ether);
        bytes memory sig = sign(payerKey, c);
        c.payee = other;
        vm.expectRevert(IVault.InvalidSignature.selector);
        vault.cash(c, sig);
    }

    function test_cash_revertsWhen_chequeForAnotherChain() public {
        fund(payer, 1 ether);
        IVault.Cheque memory c = cheque(payer, payee, 1 ether);
        bytes memory sig = signDigest(payerKey, digest(domainSeparator(block.chainid + 1, address(vault)), c));
        vm.expectRevert(IVault.InvalidSignature.selector);
        vault.cash(c, sig);
    }

    function test_cash_revertsWhen_chequeForAnotherContract() public {
        fund(payer, 1 ether);
        Vault twin = new Vault(registry, NOTICE);
        IVault.Cheque memory c = cheque(payer, payee, 1 ether);
        bytes memory sig = signDigest(payerKey, digest(domainSeparator(block.chainid, address(twin)), c));
        vm.expectRevert(IVault.InvalidSignature.selector);
        vault.cash(c, sig);
    }

    function test_cash_revertsWhen_signatureMalformed() public {
        fund(payer, 1 ether);
        IVault.Cheque memory c = cheque(payer, payee, 1 ether);
        bytes memory sig = sign(payerKey, c);
        bytes memory short = new bytes(64);
        for (uint256 i; i < 64; ++i) {
            short[i] = sig[i];
        }
        vm.expectRevert(IVault.InvalidSignature.selector);
        vault.cash(c, short);
        vm.expectRevert(IVault.InvalidSignature.selector);
        vault.cash(c, new bytes(65));
    }

    function test_cash_revertsWhen_signatureMalleable() public {
        fund(payer, 1 ether);
        IVault.Cheque memory c = cheque(payer, payee, 1 ether);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(payerKey, vault.chequeDigest(c));
        // The same signature with s' = n - s and v flipped recovers the same signer; it must be refused.
        uint256 n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
        bytes memory twin = abi.encodePacked(r, bytes32(n - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(IVault.InvalidSignature.selector);
        vault.cash(c, twin);
    }

    function test_cash_revertsWhen_stale() public {
        fund(payer, 5 ether);
        IVault.Cheque memory c = cheque(payer, payee, 2 ether);
        bytes memory sig = sign(payerKey, c);
        vault.cash(c, sig);
        vm.expectRevert(abi.encodeWithSelector(IVault.StaleCheque.selector, 2 ether, 2 ether));
        vault.cash(c, sig);

        IVault.Cheque memory lower = cheque(payer, payee, 1 ether);
        bytes memory lowerSig = sign(payerKey, lower);
        vm.expectRevert(abi.encodeWithSelector(IVault.StaleCheque.selector, 1 ether, 2 ether));
        vault.cash(lower, lowerSig);
        assertEq(payee.balance, 2 ether);
    }

    function test_cash_coversBounceFromStakeAndJails() public {
        register(payer, 2 ether, keccak256("payer node"));
        fund(payer, 1 ether);
        IVault.Cheque memory c = cheque(payer, payee, 1.5 ether);
        vm.expectEmit(address(vault));
        emit IVault.ChequeBounced(payer, payee, 0.5 ether, 0.5 ether);
        uint256 paid = vault.cash(c, sign(payerKey, c));
        assertEq(paid, 1.5 ether);
        assertEq(payee.balance, 1.5 ether);
        assertEq(vault.balanceOf(payer), 0);
        assertEq(registry.stakeOf(payer), 1.5 ether);
        assertEq(uint8(registry.relay(payer).status), uint8(IRelayRegistry.Status.Jailed));
        assertEq(registry.activeCount(), 0);
        assertEq(vault.cashed(payer, payee), 1.5 ether);
    }

    function test_cash_partialBounceKeepsClaim() public {
        fund(payer, 1 ether); // a client with no stake
        IVault.Cheque memory c = cheque(payer, payee, 3 ether);
        bytes memory sig = sign(payerKey, c);
        assertEq(vault.cash(c, sig), 1 ether);
        assertEq(vault.cashed(payer, payee), 1 ether);

        // Later the payer tops up: the same cheque pays the rest.
        fund(payer, 5 ether);
        assertEq(vault.cash(c, sig), 2 ether);
        assertEq(payee.balance, 3 ether);
        assertEq(vault.balanceOf(payer), 3 ether);
    }

    function test_cash_revertsWhen_uncovered() public {
        IVault.Cheque memory c = cheque(payer, payee, 1 ether);
        bytes memory sig = sign(payerKey, c);
        vm.expectRevert(abi.encodeWithSelector(IVault.ChequeUncovered.selector, payer, 1 ether));
        vault.cash(c, sig);
    }

    function test_cash_revertsWhen_payeeRefusesEth() public {
        fund(payer, 1 ether);
        address refuser = address(new Refuser());
        IVault.Cheque memory c = cheque(payer, refuser, 1 ether);
        bytes memory sig = sign(payerKey, c);
        vm.expectRevert(abi.encodeWithSelector(IVault.TransferFailed.selector, refuser, 1 ether));
        vault.cash(c, sig);
        assertEq(vault.balanceOf(payer), 1 ether, "nothing lost");
    }

    function test_cash_guardRefusesReentrantPayee() public {
        fund(payer, 5 ether);
        ReentrantPayee thief = new ReentrantPayee(vault);
        IVault.Cheque memory first = cheque(payer, address(thief), 1 ether);
        IVault.Cheque memory second = cheque(payer, address(thief), 2 ether);
        thief.arm(second, sign(payerKey, second));

        assertEq(vault.cash(first, sign(payerKey, first)), 1 ether);

        // The thief's attempt to cash the second cheque from inside the payment was refused by the guard.
        assertEq(thief.innerError(), ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        assertEq(address(thief).balance, 1 ether);
        assertEq(vault.cashed(payer, address(thief)), 1 ether);
        assertEq(vault.balanceOf(payer), 4 ether);
        assertEq(address(vault).balance, 4 ether);
    }

    function testFuzz_cash_paysExactlyTheIncrease(uint128 deposited, uint128 first, uint128 second) public {
        deposited = uint128(bound(deposited, 1, 1000 ether));
        first = uint128(bound(first, 1, deposited));
        second = uint128(bound(second, first, deposited));
        fund(payer, deposited);
        IVault.Cheque memory c = cheque(payer, payee, first);
        vault.cash(c, sign(payerKey, c));
        if (second > first) {
            c.cumulativeAmount = second;
            assertEq(vault.cash(c, sign(payerKey, c)), second - first);
        }
        assertEq(payee.balance, second > first ? second : first);
        assertEq(vault.balanceOf(payer) + payee.balance, deposited);
        assertEq(address(vault).balance, vault.balanceOf(payer));
    }

    // --- withdrawal --------------------------------------------------------------------------

    function test_withdraw_afterNotice() public {
        fund(payer, 4 ether);
        vm.expectEmit(address(vault));
        emit IVault.WithdrawalAnnounced(payer, 3 ether, uint64(block.timestamp) + NOTICE);
        vm.prank(payer);
        vault.announceWithdrawal(3 ether);
        (uint256 amount, uint64 unlockAt) = vault.pendingWithdrawal(payer);
        assertEq(amount, 3 ether);
        assertEq(unlockAt, uint64(block.timestamp) + NOTICE);

        vm.warp(unlockAt);
        vm.prank(payer);
        assertEq(vault.withdraw(), 3 ether);
        assertEq(payer.balance, 3 ether);
        assertEq(vault.balanceOf(payer), 1 ether);
        (amount,) = vault.pendingWithdrawal(payer);
        assertEq(amount, 0);
    }

    function test_withdraw_revertsWhen_beforeNotice() public {
        fund(payer, 1 ether);
        vm.prank(payer);
        vault.announceWithdrawal(1 ether);
        uint64 unlockAt = uint64(block.timestamp) + NOTICE;
        vm.warp(unlockAt - 1);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IVault.WithdrawalLocked.selector, unlockAt - 1, unlockAt));
        vault.withdraw();
    }

    function test_withdraw_payeesCashFirst() public {
        fund(payer, 2 ether);
        vm.prank(payer);
        vault.announceWithdrawal(2 ether);
        IVault.Cheque memory c = cheque(payer, payee, 1.5 ether);
        vault.cash(c, sign(payerKey, c));
        vm.warp(block.timestamp + NOTICE);
        vm.prank(payer);
        assertEq(vault.withdraw(), 0.5 ether);
        assertEq(payee.balance, 1.5 ether);
        assertEq(address(vault).balance, 0);
    }

    /// A payer cannot take its deposit back at once by paying itself: not with a withdrawal announced
    /// (which would leave its payees' cheques bouncing before the notice ends), nor without one.
    function test_cash_revertsWhen_payeeIsPayer() public {
        fund(payer, 2 ether);
        IVault.Cheque memory c = cheque(payer, payer, 2 ether);
        bytes memory sig = sign(payerKey, c);
        vm.expectRevert(abi.encodeWithSelector(IVault.SelfPayment.selector, payer));
        vault.cash(c, sig);
        vm.prank(payer);
        vault.announceWithdrawal(2 ether);
        vm.expectRevert(abi.encodeWithSelector(IVault.SelfPayment.selector, payer));
        vault.cash(c, sig);
        assertEq(vault.balanceOf(payer), 2 ether);
        // The payee's cheque still finds the deposit during the notice.
        IVault.Cheque memory toPayee = cheque(payer, payee, 1 ether);
        vault.cash(toPayee, sign(payerKey, toPayee));
        assertEq(payee.balance, 1 ether);
    }

    function test_withdraw_revertsWhen_notAnnounced() public {
        fund(payer, 1 ether);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IVault.NoWithdrawalAnnounced.selector, payer));
        vault.withdraw();
    }

    function test_announceWithdrawal_revertsWhen_zeroOrTooMuch() public {
        fund(payer, 1 ether);
        vm.startPrank(payer);
        vm.expectRevert(IVault.ZeroAmount.selector);
        vault.announceWithdrawal(0);
        vm.expectRevert(abi.encodeWithSelector(IVault.InsufficientBalance.selector, 1 ether, 2 ether));
        vault.announceWithdrawal(2 ether);
        vm.stopPrank();
    }

    function test_withdraw_revertsWhen_callerReenters() public {
        ReentrantWithdrawer w = new ReentrantWithdrawer(vault);
        vm.deal(address(w), 1 ether);
        w.setUp{value: 1 ether}();
        vm.warp(block.timestamp + NOTICE);
        vm.expectRevert(abi.encodeWithSelector(IVault.TransferFailed.selector, address(w), 1 ether));
        w.go();
        assertEq(vault.balanceOf(address(w)), 1 ether);
    }

    // --- gas ---------------------------------------------------------------------------------

    function test_gas_deposit() public {
        vm.deal(payer, 1 ether);
        vm.prank(payer);
        vault.deposit{value: 1 ether}();
        vm.snapshotGasLastCall("Vault", "deposit");
    }

    function test_gas_cash() public {
        fund(payer, 10 ether);
        vm.deal(payee, 1); // an existing account, as a relay's is
        IVault.Cheque memory c = cheque(payer, payee, 1 ether);
        bytes memory sig = sign(payerKey, c);
        vm.prank(payee);
        vault.cash(c, sig);
        vm.snapshotGasLastCall("Vault", "cash_first");
        c.cumulativeAmount = 2 ether;
        sig = sign(payerKey, c);
        vm.prank(payee);
        vault.cash(c, sig);
        vm.snapshotGasLastCall("Vault", "cash_next");
    }
}

/// @dev A payee that tries to cash a second cheque while it is being paid for the first.
contract ReentrantPayee {
    Vault internal immutable vault;
    IVault.Cheque internal next;
    bytes internal nextSig;
    bytes4 public innerError;

    constructor(Vault v) {
        vault = v;
    }

    function arm(IVault.Cheque memory c, bytes memory sig) external {
        next = c;
        nextSig = sig;
    }

    receive() external payable {
        try vault.cash(next, nextSig) {}
        catch (bytes memory err) {
            innerError = bytes4(err);
        }
    }
}

/// @dev A depositor that tries to withdraw twice in one call.
contract ReentrantWithdrawer {
    Vault internal immutable vault;

    constructor(Vault v) {
        vault = v;
    }

    function setUp() external payable {
        vault.deposit{value: msg.value}();
        vault.announceWithdrawal(msg.value);
    }

    function go() external {
        vault.withdraw();
    }

    receive() external payable {
        vault.withdraw();
    }
}
