// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {Base} from "../Base.t.sol";
import {RelayRegistry} from "../../src/RelayRegistry.sol";
import {Vault} from "../../src/Vault.sol";
import {IVault} from "../../src/interfaces/IVault.sol";

/// @dev Drives the vault and the registry through random deposits, cheques (fresh, stale and bouncing),
/// withdrawals, stake changes and the passing of time, and keeps ghost books of what was signed and paid.
contract MoneyHandler is Test {
    RelayRegistry internal immutable registry;
    Vault internal immutable vault;

    uint256[3] internal payerKeys = [uint256(0xA1), 0xA2, 0xA3];
    address[3] public payers;
    address[3] public payees;

    mapping(address payer => mapping(address payee => uint256)) public signedMax;
    mapping(address payer => mapping(address payee => uint256)) public paidTotal;
    mapping(address payer => mapping(address payee => bytes)) internal lastSig;
    uint256 public bounces;
    uint256 public staleRefused;
    // Lottery tickets: what winners were paid, the next nonce each pair may redeem, and replays that paid.
    mapping(address payer => mapping(address payee => uint256)) public lotteryPaid;
    mapping(address payer => mapping(address payee => uint64)) public nextNonce;
    uint256 public replaysPaid;
    // What payers got back from the vault other than by a withdrawal after its notice.
    uint256 public selfPaid;

    constructor(RelayRegistry r, Vault v) {
        registry = r;
        vault = v;
        for (uint256 i; i < 3; ++i) {
            payers[i] = vm.addr(payerKeys[i]);
            payees[i] = makeAddr(string.concat("payee", vm.toString(i)));
        }
        // Two payers are relays, so their bounced cheques fall on stake; the third is a bare client.
        for (uint256 i; i < 2; ++i) {
            vm.deal(payers[i], 2 ether);
            vm.prank(payers[i]);
            registry.register{value: 2 ether}(2, bytes32(i + 1), "");
        }
    }

    function deposit(uint256 who, uint256 amount) external {
        address a = payers[who % 3];
        amount = bound(amount, 1, 10 ether);
        vm.deal(a, a.balance + amount);
        vm.prank(a);
        vault.deposit{value: amount}();
    }

    function payAndCash(uint256 from, uint256 to, uint256 increase) external {
        uint256 i = from % 3;
        address payer = payers[i];
        address payee = payees[to % 3];
        uint256 amount = signedMax[payer][payee] + bound(increase, 1, 5 ether);
        IVault.Cheque memory c = IVault.Cheque(payer, payee, amount);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(payerKeys[i], vault.chequeDigest(c));
        bytes memory sig = abi.encodePacked(r, s, v);
        signedMax[payer][payee] = amount;
        lastSig[payer][payee] = sig;
        _cash(c, sig);
    }

    /// @dev Cashes the newest cheque again: pays only what an earlier bounce left unpaid, or is refused.
    function recash(uint256 from, uint256 to) external {
        address payer = payers[from % 3];
        address payee = payees[to % 3];
        uint256 amount = signedMax[payer][payee];
        if (amount == 0) return;
        _cash(IVault.Cheque(payer, payee, amount), lastSig[payer][payee]);
    }

    function _cash(IVault.Cheque memory c, bytes memory sig) internal {
        uint256 stakeBefore = registry.stakeOf(c.payer);
        try vault.cash(c, sig) returns (uint256 paid) {
            paidTotal[c.payer][c.payee] += paid;
            if (registry.stakeOf(c.payer) < stakeBefore) ++bounces;
        } catch (bytes memory err) {
            bytes4 sel = bytes4(err);
            if (sel == IVault.StaleCheque.selector) ++staleRefused;
            else if (sel != IVault.ChequeUncovered.selector) revert("unexpected cash failure");
        }
    }

    /// @dev A lottery ticket that wins a quarter of the time or more (fuzzed thresholds sit near zero and
    /// would never win), of any face value, or a replay of the pair's last nonce.
    function payLottery(uint256 from, uint256 to, uint256 face, uint256 prob, bytes32 secret, bool replay)
        external
    {
        uint256 i = from % 3;
        address payer = payers[i];
        address payee = payees[to % 3];
        uint64 next = nextNonce[payer][payee];
        replay = replay && next > 0;
        uint64 nonce = replay ? next - 1 : next;
        IVault.LotteryTicket[] memory ts = new IVault.LotteryTicket[](1);
        ts[0] = IVault.LotteryTicket(
            payer,
            payee,
            bound(face, 1, 5 ether),
            bound(prob, type(uint256).max / 4, type(uint256).max),
            nonce,
            keccak256(abi.encode(secret)),
            uint64(block.timestamp)
        );
        bytes[] memory sigs = new bytes[](1);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(payerKeys[i], vault.ticketDigest(ts[0]));
        sigs[0] = abi.encodePacked(r, s, v);
        bytes32[] memory secrets = new bytes32[](1);
        secrets[0] = secret;
        uint256 stakeBefore = registry.stakeOf(payer);
        vm.prank(payee);
        try vault.redeemTickets(payee, ts, sigs, secrets) returns (uint256 paid) {
            if (replay) ++replaysPaid;
            lotteryPaid[payer][payee] += paid;
            nextNonce[payer][payee] = nonce + 1;
            if (registry.stakeOf(payer) < stakeBefore) ++bounces;
        } catch (bytes memory err) {
            bytes4 sel = bytes4(err);
            if (
                sel != IVault.TicketNotWinning.selector && sel != IVault.ChequeUncovered.selector
                    && !(replay && sel == IVault.TicketReplayed.selector)
            ) revert("unexpected redemption failure");
        }
    }

    /// @dev A payer tries to take its deposit back at once, with a cheque to itself.
    function payAndCashSelf(uint256 who, uint256 amount) external {
        uint256 i = who % 3;
        address payer = payers[i];
        IVault.Cheque memory c = IVault.Cheque(payer, payer, bound(amount, 1, 10 ether));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(payerKeys[i], vault.chequeDigest(c));
        try vault.cash(c, abi.encodePacked(r, s, v)) returns (uint256 paid) {
            selfPaid += paid;
        } catch (bytes memory err) {
            if (bytes4(err) != IVault.SelfPayment.selector) revert("unexpected self-cash failure");
        }
    }

    function announce(uint256 who, uint256 amount) external {
        address a = payers[who % 3];
        uint256 bal = vault.balanceOf(a);
        if (bal == 0) return;
        vm.prank(a);
        vault.announceWithdrawal(bound(amount, 1, bal));
    }

    function withdraw(uint256 who) external {
        address a = payers[who % 3];
        (uint256 pending, uint64 unlockAt) = vault.pendingWithdrawal(a);
        if (pending == 0 || block.timestamp < unlockAt) return;
        vm.prank(a);
        vault.withdraw();
    }

    function addStake(uint256 who, uint256 amount) external {
        address a = payers[who % 2];
        if (registry.stakeOf(a) == 0 && uint8(registry.relay(a).status) == 0) return;
        amount = bound(amount, 1, 3 ether);
        vm.deal(a, a.balance + amount);
        vm.prank(a);
        registry.addStake{value: amount}();
    }

    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 1, 3 days));
    }
}

contract MoneyInvariants is Base {
    MoneyHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new MoneyHandler(registry, vault);
        targetContract(address(handler));
    }

    /// The vault holds exactly the deposits it books.
    function invariant_vaultEthEqualsBalances() public view {
        uint256 sum;
        for (uint256 i; i < 3; ++i) {
            sum += vault.balanceOf(handler.payers(i));
        }
        assertEq(address(vault).balance, sum);
    }

    /// The registry holds exactly the stakes it books.
    function invariant_registryEthEqualsStakes() public view {
        uint256 sum;
        for (uint256 i; i < 3; ++i) {
            sum += registry.stakeOf(handler.payers(i));
        }
        assertEq(address(registry).balance, sum);
    }

    /// Nobody is paid more than the payer signed, and what was paid is what the vault books as cashed.
    function invariant_cashedNeverExceedsSignedAndIsPaidOnce() public view {
        for (uint256 i; i < 3; ++i) {
            uint256 received;
            address payee = handler.payees(i);
            for (uint256 j; j < 3; ++j) {
                address payer = handler.payers(j);
                uint256 cashed = vault.cashed(payer, payee);
                assertLe(cashed, handler.signedMax(payer, payee));
                assertEq(cashed, handler.paidTotal(payer, payee));
                received += cashed + handler.lotteryPaid(payer, payee);
            }
            assertEq(payee.balance, received);
        }
    }

    /// A deposit goes back to its payer only by withdrawal, after the notice.
    function invariant_noDepositBackWithoutNotice() public view {
        assertEq(handler.selfPaid(), 0);
    }

    /// A winning ticket is paid once: no replay pays, and the vault's next nonce is the handler's.
    function invariant_lotteryTicketsPayOnce() public view {
        assertEq(handler.replaysPaid(), 0);
        for (uint256 i; i < 3; ++i) {
            for (uint256 j; j < 3; ++j) {
                address payer = handler.payers(j);
                address payee = handler.payees(i);
                assertEq(vault.nextTicketNonce(payer, payee), handler.nextNonce(payer, payee));
            }
        }
    }
}
