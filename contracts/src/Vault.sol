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
    mapping(address payer => mapping(address payee => uint256 amount)) private _cashed;

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
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(chequeDigest(cheque), signature);
        if (err != ECDSA.RecoverError.NoError || signer != payer) revert InvalidSignature();

        uint256 done = _cashed[payer][payee];
        if (cheque.cumulativeAmount <= done) revert StaleCheque(cheque.cumulativeAmount, done);
        uint256 owed = cheque.cumulativeAmount - done;

        Account storage a = _accounts[payer];
        uint256 balance = a.balance;
        uint256 fromDeposit = owed < balance ? owed : balance;
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

        // Only what was paid counts as cashed, so the payee can claim the rest later with the same cheque.
        uint256 total = done + paid;
        _cashed[payer][payee] = total;
        emit ChequeCashed(payer, payee, paid, total);
        if (fromDeposit != 0) _send(payee, fromDeposit);
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
