// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IVault
/// @notice One-to-many payment channels. Every participant keeps an ETH deposit here and pays anyone
/// off-chain with EIP-712 cheques `(payer, payee, cumulativeAmount)`. A payee cashes its latest cheque
/// when it likes and receives the difference to what it already cashed. A payer withdraws only after a
/// notice period, so that payees can cash first; a cheque the deposit cannot cover is covered from the
/// payer's registry stake, and the payer is jailed.
interface IVault {
    /// @notice An off-chain promise: `payer` owes `payee` `cumulativeAmount` wei in total, ever.
    struct Cheque {
        address payer;
        address payee;
        uint256 cumulativeAmount;
    }

    /// @notice A probabilistic payment: `faceValue` wei to `payee` if the ticket wins, which it does when
    /// keccak256(digest ‖ secret) < `winProb`, where keccak256(secret) = `commitment` is the payee's
    /// commitment. `nonce` rises with every ticket of a payer to a payee: a winner is redeemed only
    /// with a nonce above every nonce redeemed before from the same payer to the same payee.
    struct LotteryTicket {
        address payer;
        address payee;
        uint256 faceValue;
        uint256 winProb;
        uint64 nonce;
        bytes32 commitment;
        uint64 expiresAt;
    }

    /// @notice Zero value where ETH was required.
    error ZeroAmount();
    /// @notice A balance overflowed its 128-bit field.
    error BalanceOverflow();
    /// @notice The signature is malformed or not the payer's over this cheque, chain and contract.
    error InvalidSignature();
    /// @notice A cheque to its own payer: cashing it would hand the deposit back without the withdrawal
    /// notice that payees holding the payer's cheques rely on.
    error SelfPayment(address payer);
    /// @notice The cheque promises no more than what was already cashed.
    error StaleCheque(uint256 cumulativeAmount, uint256 alreadyCashed);
    /// @notice Neither the payer's deposit nor its stake holds anything to pay with.
    error ChequeUncovered(address payer, uint256 owed);
    /// @notice No withdrawal was announced.
    error NoWithdrawalAnnounced(address payer);
    /// @notice The notice period has not passed.
    error WithdrawalLocked(uint64 nowTime, uint64 unlockAt);
    /// @notice The amount exceeds the deposit.
    error InsufficientBalance(uint256 have, uint256 need);
    /// @notice An ETH transfer failed.
    error TransferFailed(address to, uint256 amount);
    /// @notice Ticket `index` of a redemption names another payee than the batch's, or its payer.
    error WrongPayee(uint256 index);
    /// @notice Ticket `index` expired at `expiresAt`.
    error TicketExpired(uint256 index, uint64 expiresAt);
    /// @notice The secret given for ticket `index` is not the one its commitment names.
    error BadReveal(uint256 index);
    /// @notice Ticket `index` does not win under its secret.
    error TicketNotWinning(uint256 index);
    /// @notice Ticket `index` has a nonce at or below one already redeemed (`next` is the least accepted).
    error TicketReplayed(uint256 index, uint64 nonce, uint64 next);
    /// @notice The batch is empty, or its arrays differ in length.
    error BadBatch();
    /// @notice Only the payee redeems its winning tickets.
    error NotPayee(address caller, address payee);

    /// @notice `account`'s deposit grew by `amount`.
    event Deposited(address indexed account, uint256 amount, uint256 balance);
    /// @notice A cheque was cashed: `amount` went to `payee`, `cumulativeCashed` is the new total.
    event ChequeCashed(
        address indexed payer, address indexed payee, uint256 amount, uint256 cumulativeCashed
    );
    /// @notice The deposit fell short by `shortfall`; `fromStake` of it came out of the payer's stake.
    event ChequeBounced(address indexed payer, address indexed payee, uint256 shortfall, uint256 fromStake);
    /// @notice `payer` will withdraw `amount` from `unlockAt` on.
    event WithdrawalAnnounced(address indexed payer, uint256 amount, uint64 unlockAt);
    /// @notice `payer` took `amount` out of its deposit.
    event Withdrawn(address indexed payer, uint256 amount);
    /// @notice A winning ticket of `payer` paid `payee` `amount` (its face value, less any shortfall).
    event TicketRedeemed(address indexed payer, address indexed payee, uint64 nonce, uint256 amount);

    /// @notice Adds `msg.value` to the caller's deposit.
    function deposit() external payable;

    /// @notice Adds `msg.value` to `account`'s deposit.
    function depositFor(address account) external payable;

    /// @notice Pays `cheque.payee` what `cheque` promises beyond what it already cashed. Anyone may call.
    /// A cheque whose payee is its payer is refused (SelfPayment): deposits leave toward their owner only by
    /// withdrawal, after the notice.
    /// @param signature The payer's 65-byte EIP-712 signature (r, s, v) over the cheque.
    /// @return paid The wei sent to the payee.
    function cash(Cheque calldata cheque, bytes calldata signature) external returns (uint256 paid);

    /// @notice Pays `payee` the face value of each winning ticket, from its payer's deposit (or stake,
    /// jailing the payer, as for a bounced cheque). The batch is all or nothing: any ticket that is not a
    /// valid, unexpired winner with a fresh nonce reverts it. Within a batch, a payer's tickets come in
    /// rising nonce order. Only the payee may call: a batch reveals its secrets, and a copy of its
    /// highest-nonce ticket sent first would void the rest.
    /// @param signatures The payers' 65-byte EIP-712 signatures, one per ticket.
    /// @param secrets The payee's secrets, one per ticket, each revealing the ticket's commitment.
    /// @return paid The wei sent to the payee.
    function redeemTickets(
        address payee,
        LotteryTicket[] calldata tickets,
        bytes[] calldata signatures,
        bytes32[] calldata secrets
    ) external returns (uint256 paid);

    /// @notice The least nonce a winning ticket from `payer` to `payee` must have to be redeemed.
    function nextTicketNonce(address payer, address payee) external view returns (uint64);

    /// @notice The EIP-712 digest a payer signs for `ticket`.
    function ticketDigest(LotteryTicket calldata ticket) external view returns (bytes32);

    /// @notice Starts the notice period for withdrawing `amount`; replaces any earlier announcement.
    function announceWithdrawal(uint256 amount) external;

    /// @notice Pays out the announced withdrawal (capped at the deposit left) after the notice period.
    function withdraw() external returns (uint256 amount);

    /// @notice The deposit of `account`.
    function balanceOf(address account) external view returns (uint256);

    /// @notice What `payee` has cashed from `payer` in total.
    function cashed(address payer, address payee) external view returns (uint256);

    /// @notice The announced withdrawal of `payer` and when it unlocks.
    function pendingWithdrawal(address payer) external view returns (uint256 amount, uint64 unlockAt);

    /// @notice The EIP-712 digest a payer signs for `cheque`.
    function chequeDigest(Cheque calldata cheque) external view returns (bytes32);

    /// @notice The EIP-712 domain separator (name "Murmur Vault", version "1").
    function domainSeparator() external view returns (bytes32);
}
