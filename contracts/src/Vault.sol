// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IRelayRegistry} from "./interfaces/IRelayRegistry.sol";
import {IVault} from "./interfaces/IVault.sol";

/// @title Vault
/// @notice Deposits and EIP-712 cheques: Murmur's one-to-many payment channels.
contract Vault is IVault, EIP712, ReentrancyGuardTransient {
    /// @notice keccak256("Cheque(address payer,address payee,uint256 cumulativeAmount)")
    bytes32 public constant CHEQUE_TYPEHASH =
        keccak256("Cheque(address payer,address payee,uint256 cumulativeAmount)");

    /// @dev Slot 0 packs balance (low 128 bits) | withdrawal unlock time (64). Cashing touches only this
    /// slot of the payer's account; the announced amount lives in slot 1.
    struct Account {
        uint128 balance;
        uint64 unlockAt;
        uint128 withdrawal;
    }

    /// @notice The registry whose stake covers bounced cheques; this vault must be one of its enforcers.
    IRelayRegistry public immutable registry;
    /// @notice Seconds between announcing a withdrawal and being able to take it.
    uint64 public immutable withdrawalNotice;

    mapping(address account => Account) private _accounts;
    /// @notice keccak256 of the LotteryTicket type, as in IVault.LotteryTicket.
    bytes32 public constant LOTTERY_TICKET_TYPEHASH = keccak256(
        "LotteryTicket(address payer,address payee,uint256 faceValue,uint256 winProb,uint64 nonce,bytes32 commitment,uint64 expiresAt)"
    );

    mapping(address payer => mapping(address payee => uint256 amount)) private _cashed;
    /// @dev One word per payer–payee pair, rewritten by each redemption: replay protection that costs a
    /// warm update per winning ticket instead of a fresh slot.
    mapping(address payer => mapping(address payee => uint64 nonce)) private _nextNonce;

    /// @param registry_ The relay registry (it must name this vault an enforcer).
    /// @param withdrawalNotice_ Seconds a payer waits between announcing and taking a withdrawal.
    constructor(IRelayRegistry registry_, uint64 withdrawalNotice_) EIP712("Murmur Vault", "1") {
        registry = registry_;
        withdrawalNotice = withdrawalNotice_;
    }

    /// @inheritdoc IVault
    function deposit() external payable {
        _deposit(msg.sender);
    }

    /// @inheritdoc IVault
    function depositFor(address account) external payable {
        _deposit(account);
    }

    /// @inheritdoc IVault
    function cash(Cheque calldata cheque, bytes calldata signature)
        external
        nonReentrant
        returns (uint256 paid)
    {
        address payer = cheque.payer;
        address payee = cheque.payee;
        if (payee == payer) revert SelfPayment(payer);
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(chequeDigest(cheque), signature);
        if (err != ECDSA.RecoverError.NoError || signer != payer) revert InvalidSignature();

        uint256 done = _cashed[payer][payee];
        if (cheque.cumulativeAmount <= done) revert StaleCheque(cheque.cumulativeAmount, done);
        uint256 owed = cheque.cumulativeAmount - done;

        uint256 fromDeposit;
        (fromDeposit, paid) = _take(payer, payee, owed);

        // Only what was paid counts as cashed, so the payee can claim the rest later with the same cheque.
        uint256 total = done + paid;
        _cashed[payer][payee] = total;
        emit ChequeCashed(payer, payee, paid, total);
        if (fromDeposit != 0) _send(payee, fromDeposit);
    }

    /// @inheritdoc IVault
    function redeemTickets(
        address payee,
        LotteryTicket[] calldata tickets,
        bytes[] calldata signatures,
        bytes32[] calldata secrets
    ) external nonReentrant returns (uint256 paid) {
        // Only the payee: a batch reveals its secrets, and anyone who could send a copy of its
        // highest-nonce ticket first would void the rest of the batch.
        if (msg.sender != payee) revert NotPayee(msg.sender, payee);
        uint256 n = tickets.length;
        if (n == 0 || signatures.length != n || secrets.length != n) revert BadBatch();
        uint256 toSend;
        for (uint256 i; i < n; ++i) {
            (uint256 fromDeposit, uint256 got) = _redeem(payee, tickets[i], signatures[i], secrets[i], i);
            toSend += fromDeposit;
            paid += got;
        }
        if (toSend != 0) _send(payee, toSend);
    }

    /// @dev Checks winning ticket `i` of a batch for `payee` and takes its face value from its payer.
    function _redeem(
        address payee,
        LotteryTicket calldata t,
        bytes calldata signature,
        bytes32 secret,
        uint256 i
    ) private returns (uint256 fromDeposit, uint256 got) {
        if (t.payee != payee || payee == t.payer) revert WrongPayee(i);
        if (block.timestamp > t.expiresAt) revert TicketExpired(i, t.expiresAt);
        if (keccak256(abi.encode(secret)) != t.commitment) revert BadReveal(i);
        bytes32 d = ticketDigest(t);
        if (uint256(keccak256(abi.encode(d, secret))) >= t.winProb) revert TicketNotWinning(i);
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(d, signature);
        if (err != ECDSA.RecoverError.NoError || signer != t.payer) revert InvalidSignature();

        address payer = t.payer;
        uint64 next = _nextNonce[payer][payee];
        if (t.nonce < next) revert TicketReplayed(i, t.nonce, next);
        _nextNonce[payer][payee] = t.nonce + 1;

        (fromDeposit, got) = _take(payer, payee, t.faceValue);
        emit TicketRedeemed(payer, payee, t.nonce, got);
    }

    /// @inheritdoc IVault
    function nextTicketNonce(address payer, address payee) external view returns (uint64) {
        return _nextNonce[payer][payee];
    }

    /// @inheritdoc IVault
    function ticketDigest(LotteryTicket calldata t) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    LOTTERY_TICKET_TYPEHASH,
                    t.payer,
                    t.payee,
                    t.faceValue,
                    t.winProb,
                    t.nonce,
                    t.commitment,
                    t.expiresAt
                )
            )
        );
    }

    /// @dev Takes `owed` of `payer`'s money for `payee`: from its deposit, and what the deposit lacks from
    /// its stake, jailing a payer that bounces. Returns what came from the deposit (for the caller to
    /// send) and what was paid in all; reverts when nothing could be.
    function _take(address payer, address payee, uint256 owed)
        private
        returns (uint256 fromDeposit, uint256 paid)
    {
        Account storage a = _accounts[payer];
        uint256 balance = a.balance;
        fromDeposit = owed < balance ? owed : balance;
        // forge-lint: disable-next-line(unsafe-typecast) -- fromDeposit <= balance, which came from a uint128
        a.balance = uint128(balance - fromDeposit);
        paid = fromDeposit;

        if (owed != fromDeposit) {
            // The deposit is short: the payer's stake covers the rest, and a payer that bounces is jailed.
            uint256 fromStake = registry.slash(payer, owed - fromDeposit, payee);
            if (fromStake != 0) registry.jail(payer);
            emit ChequeBounced(payer, payee, owed - fromDeposit, fromStake);
            paid += fromStake;
            if (paid == 0) revert ChequeUncovered(payer, owed);
        }
    }

    /// @inheritdoc IVault
    function announceWithdrawal(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Account storage a = _accounts[msg.sender];
        if (amount > a.balance) revert InsufficientBalance(a.balance, amount);
        uint64 unlockAt = uint64(block.timestamp) + withdrawalNotice;
        a.unlockAt = unlockAt;
        // forge-lint: disable-next-line(unsafe-typecast) -- amount <= a.balance, a uint128
        a.withdrawal = uint128(amount);
        emit WithdrawalAnnounced(msg.sender, amount, unlockAt);
    }

    /// @inheritdoc IVault
    function withdraw() external nonReentrant returns (uint256 amount) {
        Account storage a = _accounts[msg.sender];
        amount = a.withdrawal;
        if (amount == 0) revert NoWithdrawalAnnounced(msg.sender);
        if (block.timestamp < a.unlockAt) revert WithdrawalLocked(uint64(block.timestamp), a.unlockAt);
        uint256 balance = a.balance;
        // Cheques cashed during the notice period came first.
        if (amount > balance) amount = balance;
        // forge-lint: disable-next-line(unsafe-typecast) -- amount <= balance, which came from a uint128
        a.balance = uint128(balance - amount);
        a.withdrawal = 0;
        a.unlockAt = 0;
        emit Withdrawn(msg.sender, amount);
        if (amount != 0) _send(msg.sender, amount);
    }

    /// @inheritdoc IVault
    function balanceOf(address account) external view returns (uint256) {
        return _accounts[account].balance;
    }

    /// @inheritdoc IVault
    function cashed(address payer, address payee) external view returns (uint256) {
        return _cashed[payer][payee];
    }

    /// @inheritdoc IVault
    function pendingWithdrawal(address payer) external view returns (uint256 amount, uint64 unlockAt) {
        Account storage a = _accounts[payer];
        return (a.withdrawal, a.unlockAt);
    }

    /// @inheritdoc IVault
    function chequeDigest(Cheque calldata cheque) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(CHEQUE_TYPEHASH, cheque.payer, cheque.payee, cheque.cumulativeAmount))
        );
    }

    /// @inheritdoc IVault
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function _deposit(address account) private {
        if (msg.value == 0) revert ZeroAmount();
        Account storage a = _accounts[account];
        uint256 balance = uint256(a.balance) + msg.value;
        if (balance > type(uint128).max) revert BalanceOverflow();
        // forge-lint: disable-next-line(unsafe-typecast) -- checked against type(uint128).max above
        a.balance = uint128(balance);
        emit Deposited(account, msg.value, balance);
    }

    function _send(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
