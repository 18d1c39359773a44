// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ITicketIssuer
/// @notice The on-chain side of Murmur's blind-signed tickets. An issuer publishes one BLS12-381 public key
/// (in G2) per key epoch, each key signing tickets of one fixed value, backed by the issuer's registry stake.
/// A provider whose off-chain redemption the issuer refuses redeems the tickets here: one pairing check
/// verifies a whole batch against the aggregate of its signatures, the serials are recorded as spent, and
/// the issuer's stake pays. A provider that redeems on-chain what it was already paid for off-chain can be
/// proven to have done so with its own signed redemption request (and the cheque it cashed, or its signed
/// receipt for a payment in lottery tickets), and is slashed.
/// @dev A ticket is a 32-byte serial signed as σ = sk·H(serial) with H = RFC 9380 hash-to-G1
/// (BLS12381G1_XMD:SHA-256_SSWU_RO_) under the tag
/// "MURMUR-V1-TICKET-CHAIN-<chainid>-EPOCH-<keyEpoch>_BLS12381G1_XMD:SHA-256_SSWU_RO_".
interface ITicketIssuer {
    /// @notice One issuer key.
    struct Key {
        uint128 value; // wei one ticket of this key is worth
        uint64 expiresAt; // tickets are spendable until then, redeemable for REDEMPTION_GRACE after
        bytes publicKey; // 256-byte EIP-2537 G2 point
    }

    /// @notice A provider's signed off-chain redemption request: it asked `issuer` to redeem `serials`
    /// (keccak256 of their packed concatenation) of `keyEpoch` for a cheque of cumulative amount `cumulativeAmount`.
    struct RedemptionRequest {
        address issuer;
        address provider;
        uint64 keyEpoch;
        bytes32 serialsHash;
        uint256 cumulativeAmount;
    }

    /// @notice The caller is not an active registry entry with the issuer role.
    error NotIssuer(address caller);
    /// @notice The key epoch already has a key.
    error KeyAlreadyPublished(address issuer, uint64 keyEpoch);
    /// @notice The public key is malformed, infinity, or not in the G2 subgroup.
    error InvalidPublicKey();
    /// @notice The value or expiry of a new key is zero or in the past.
    error InvalidKeyParameters();
    /// @notice The issuer has no key for the epoch.
    error UnknownKeyEpoch(address issuer, uint64 keyEpoch);
    /// @notice The key's redemption window has closed.
    error KeyEpochExpired(address issuer, uint64 keyEpoch, uint64 redeemableUntil);
    /// @notice The caller expected another ticket value than the key's.
    error WrongValue(uint256 keyValue, uint256 expected);
    /// @notice The batch is empty or larger than MAX_BATCH.
    error InvalidBatchSize(uint256 size);
    /// @notice A serial appears twice in one batch.
    error DuplicateSerial(bytes32 serial);
    /// @notice A serial was already redeemed on-chain.
    error AlreadyRedeemed(bytes32 serial, address redeemer);
    /// @notice The signature bytes are not a canonical 128-byte EIP-2537 G1 point.
    error InvalidPointEncoding();
    /// @notice The signature is the point at infinity.
    error SignatureAtInfinity();
    /// @notice The signature is not on the curve.
    error PointNotOnCurve();
    /// @notice The signature is on the curve but not in the prime-order subgroup.
    error PointNotInSubgroup();
    /// @notice The aggregate signature does not verify for these serials.
    error InvalidSignature();
    /// @notice The issuer's stake cannot pay the batch.
    error IssuerStakeInsufficient(uint256 stake, uint256 owed);
    /// @notice The redemption request is not signed by its provider.
    error InvalidRequestSignature();
    /// @notice The serials do not hash to the request's serialsHash, or the index is out of range.
    error SerialsMismatch();
    /// @notice The serial was not redeemed on-chain by the request's provider (or was proven already).
    error NotRedeemedOnChainBy(bytes32 serial, address provider);
    /// @notice The provider has not cashed the cheque that paid the request off-chain.
    error NotPaidOffChain(uint256 cashed, uint256 cumulativeAmount);
    /// @notice The payment receipt is not signed by the request's provider.
    error InvalidReceiptSignature();
    /// @notice The provider's receipt acknowledges less than the request asked for.
    error ReceiptTooLow(uint256 receipted, uint256 cumulativeAmount);

    /// @notice `issuer` published a key.
    event KeyPublished(
        address indexed issuer, uint64 indexed keyEpoch, uint128 value, uint64 expiresAt, bytes publicKey
    );
    /// @notice `redeemer` redeemed `count` tickets of `issuer`'s key epoch on-chain and was paid `amount`.
    event Redeemed(
        address indexed issuer,
        uint64 indexed keyEpoch,
        address indexed redeemer,
        uint256 count,
        uint256 amount
    );
    /// @notice `provider` was proven to have redeemed `serial` both off-chain and on-chain.
    event DoubleRedemptionProven(
        address indexed provider, address indexed issuer, bytes32 serial, uint256 slashed
    );

    /// @notice Publishes the caller's key for `keyEpoch`. Issuers only; one key per epoch, never replaced.
    function publishKey(uint64 keyEpoch, bytes calldata publicKey, uint128 value, uint64 expiresAt) external;

    /// @notice Redeems tickets of `issuer`'s `keyEpoch` and pays the caller their value from the issuer's stake.
    /// @param expectedValue The ticket value the caller expects the key to have.
    /// @param aggregateSignature Σσ_i over the batch, a 128-byte EIP-2537 G1 point.
    function redeem(
        address issuer,
        uint64 keyEpoch,
        uint256 expectedValue,
        bytes32[] calldata serials,
        bytes calldata aggregateSignature
    ) external returns (uint256 paid);

    /// @notice Slashes a provider that redeemed on-chain a ticket it had been paid for off-chain.
    /// @param serials The serials of the request (their packed keccak256 is request.serialsHash).
    /// @param index The position of the doubly redeemed serial in `serials`.
    function proveDoubleRedemption(
        RedemptionRequest calldata request,
        bytes calldata providerSignature,
        bytes32[] calldata serials,
        uint256 index
    ) external returns (uint256 slashed);

    /// @notice As proveDoubleRedemption, for an issuer that paid off-chain in lottery tickets rather than with a
    /// cheque: the proof that the request was paid is the provider's own signed receipt (EIP-712
    /// PaymentReceipt(address issuer,address provider,uint256 cumulativeValue)) for at least the request's
    /// cumulative amount. A provider signs a receipt only for value it took (expected value of the tickets, plus
    /// the cheques it holds), so a receipt it signed cannot be turned against it for a request that was not paid.
    function proveDoubleRedemptionWithReceipt(
        RedemptionRequest calldata request,
        bytes calldata providerSignature,
        bytes32[] calldata serials,
        uint256 index,
        uint256 receiptValue,
        bytes calldata receiptSignature
    ) external returns (uint256 slashed);

    /// @notice `issuer`'s key for `keyEpoch` (value 0 when there is none).
    function keyOf(address issuer, uint64 keyEpoch) external view returns (Key memory);

    /// @notice Who redeemed `serial` on-chain (zero when nobody has).
    function redeemerOf(address issuer, uint64 keyEpoch, bytes32 serial) external view returns (address);

    /// @notice The domain-separation tag of `keyEpoch`'s tickets on this chain.
    function ticketDST(uint64 keyEpoch) external view returns (bytes memory);

    /// @notice The EIP-712 digest a provider signs for `request`.
    function requestDigest(RedemptionRequest calldata request) external view returns (bytes32);

    /// @notice The EIP-712 digest a provider signs to acknowledge `cumulativeValue` paid by `issuer` in all.
    function receiptDigest(address issuer, address provider, uint256 cumulativeValue)
        external
        view
        returns (bytes32);
}
