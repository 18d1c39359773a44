// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IRelayRegistry} from "./interfaces/IRelayRegistry.sol";
import {ITicketIssuer} from "./interfaces/ITicketIssuer.sol";
import {IVault} from "./interfaces/IVault.sol";
import {BLS12381} from "./lib/BLS12381.sol";

/// @title TicketIssuer
/// @notice Issuer keys, on-chain ticket redemption for disputes, and proofs of double redemption.
contract TicketIssuer is ITicketIssuer, EIP712, ReentrancyGuardTransient {
    using BLS12381 for BLS12381.Hasher;

    /// @notice keccak256 of the EIP-712 RedemptionRequest type.
    bytes32 public constant REQUEST_TYPEHASH = keccak256(
        "RedemptionRequest(address issuer,address provider,uint64 keyEpoch,bytes32 serialsHash,uint256 cumulativeAmount)"
    );
    /// @notice keccak256 of the EIP-712 PaymentReceipt type.
    bytes32 public constant RECEIPT_TYPEHASH =
        keccak256("PaymentReceipt(address issuer,address provider,uint256 cumulativeValue)");
    /// @notice How long after a key expires its tickets can still be redeemed on-chain.
    uint64 public constant REDEMPTION_GRACE = 7 days;
    /// @notice The most tickets one redemption takes.
    uint256 public constant MAX_BATCH = 256;
    /// @notice A provider proven to have redeemed twice loses this many times the ticket's value.
    uint256 public constant PENALTY_MULTIPLIER = 2;
    uint8 private constant ROLE_ISSUER = 4;
    /// @dev Marks a serial whose double redemption was proven; non-zero so the serial stays spent.
    address private constant PROVEN = address(1);
    /// @dev Transient counter of redeem calls in this transaction; it scopes the duplicate marks to one batch.
    bytes32 private constant BATCH_COUNTER_SLOT = keccak256("murmur.tickets.batch");

    /// @notice The registry whose stake backs keys and is slashed for double redemption.
    IRelayRegistry public immutable registry;
    /// @notice The vault whose cashed amounts show that a provider was paid off-chain.
    IVault public immutable vault;

    mapping(address issuer => mapping(uint64 keyEpoch => Key)) private _keys;
    /// @dev Keyed by keccak256(issuer, keyEpoch, serial); the value is who redeemed it on-chain.
    mapping(bytes32 ticket => address redeemer) private _redeemed;

    constructor(IRelayRegistry registry_, IVault vault_) EIP712("Murmur Tickets", "1") {
        registry = registry_;
        vault = vault_;
    }

    /// @inheritdoc ITicketIssuer
    function publishKey(uint64 keyEpoch, bytes calldata publicKey, uint128 value, uint64 expiresAt) external {
        IRelayRegistry.RelayView memory r = registry.relay(msg.sender);
        if (r.status != IRelayRegistry.Status.Active || r.roles & ROLE_ISSUER == 0) {
            revert NotIssuer(msg.sender);
        }
        Key storage k = _keys[msg.sender][keyEpoch];
        if (k.value != 0) revert KeyAlreadyPublished(msg.sender, keyEpoch);
        if (value == 0 || expiresAt <= block.timestamp) revert InvalidKeyParameters();
        bytes memory pk = publicKey;
        if (
            pk.length != 256 || !BLS12381.isCanonical(pk) || BLS12381.isInfinity(pk)
                || !BLS12381.isInSubgroupG2(pk)
        ) {
            revert InvalidPublicKey();
        }
        k.value = value;
        k.expiresAt = expiresAt;
        k.publicKey = pk;
        emit KeyPublished(msg.sender, keyEpoch, value, expiresAt, pk);
    }

    /// @inheritdoc ITicketIssuer
    function redeem(
        address issuer,
        uint64 keyEpoch,
        uint256 expectedValue,
        bytes32[] calldata serials,
        bytes calldata aggregateSignature
    ) external nonReentrant returns (uint256 paid) {
        Key storage k = _redeemableKey(issuer, keyEpoch, expectedValue);
        uint256 n = serials.length;
        if (n == 0 || n > MAX_BATCH) revert InvalidBatchSize(n);
        bytes memory sig = _checkSignaturePoint(aggregateSignature);
        uint256 owed = uint256(k.value) * n;
        _requireStake(issuer, owed);
        _verify(sig, _spendAndHash(issuer, keyEpoch, serials), k.publicKey);
        emit Redeemed(issuer, keyEpoch, msg.sender, n, owed);
        paid = registry.slash(issuer, owed, msg.sender);
    }

    /// @inheritdoc ITicketIssuer
    function proveDoubleRedemption(
        RedemptionRequest calldata request,
        bytes calldata providerSignature,
        bytes32[] calldata serials,
        uint256 index
    ) external nonReentrant returns (uint256 slashed) {
        (bytes32 serial, bytes32 id) = _checkDoubleRedemption(request, providerSignature, serials, index);
        uint256 cashed = vault.cashed(request.issuer, request.provider);
        if (cashed < request.cumulativeAmount) revert NotPaidOffChain(cashed, request.cumulativeAmount);
        return _slash(request, serial, id);
    }

    /// @inheritdoc ITicketIssuer
    function proveDoubleRedemptionWithReceipt(
        RedemptionRequest calldata request,
        bytes calldata providerSignature,
        bytes32[] calldata serials,
        uint256 index,
        uint256 receiptValue,
        bytes calldata receiptSignature
    ) external nonReentrant returns (uint256 slashed) {
        (bytes32 serial, bytes32 id) = _checkDoubleRedemption(request, providerSignature, serials, index);
        _checkReceipt(request, receiptValue, receiptSignature);
        return _slash(request, serial, id);
    }

    /// @inheritdoc ITicketIssuer
    function keyOf(address issuer, uint64 keyEpoch) external view returns (Key memory) {
        return _keys[issuer][keyEpoch];
    }

    /// @inheritdoc ITicketIssuer
    function redeemerOf(address issuer, uint64 keyEpoch, bytes32 serial) external view returns (address) {
        return _redeemed[_ticketId(issuer, keyEpoch, serial)];
    }

    /// @inheritdoc ITicketIssuer
    function ticketDST(uint64 keyEpoch) public view returns (bytes memory) {
        return abi.encodePacked(
            "MURMUR-V1-TICKET-CHAIN-",
            Strings.toString(block.chainid),
            "-EPOCH-",
            Strings.toString(keyEpoch),
            "_BLS12381G1_XMD:SHA-256_SSWU_RO_"
        );
    }

    /// @inheritdoc ITicketIssuer
    function requestDigest(RedemptionRequest calldata request) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    REQUEST_TYPEHASH,
                    request.issuer,
                    request.provider,
                    request.keyEpoch,
                    request.serialsHash,
                    request.cumulativeAmount
                )
            )
        );
    }

    /// @inheritdoc ITicketIssuer
    function receiptDigest(address issuer, address provider, uint256 cumulativeValue)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(RECEIPT_TYPEHASH, issuer, provider, cumulativeValue)));
    }

    /// @notice The EIP-712 domain separator (name "Murmur Tickets", version "1").
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function _redeemableKey(address issuer, uint64 keyEpoch, uint256 expectedValue)
        private
        view
        returns (Key storage k)
    {
        k = _keys[issuer][keyEpoch];
        uint256 value = k.value;
        if (value == 0) revert UnknownKeyEpoch(issuer, keyEpoch);
        uint64 until = k.expiresAt + REDEMPTION_GRACE;
        if (block.timestamp > until) revert KeyEpochExpired(issuer, keyEpoch, until);
        if (value != expectedValue) revert WrongValue(value, expectedValue);
    }

    /// @dev Checks the proof but for its payment: the provider signed the request, `serials` are its serials,
    /// and the provider redeemed serials[index] on-chain.
    function _checkDoubleRedemption(
        RedemptionRequest calldata request,
        bytes calldata providerSignature,
        bytes32[] calldata serials,
        uint256 index
    ) private view returns (bytes32 serial, bytes32 id) {
        (address signer, ECDSA.RecoverError err,) =
            ECDSA.tryRecover(requestDigest(request), providerSignature);
        if (err != ECDSA.RecoverError.NoError || signer != request.provider) {
            revert InvalidRequestSignature();
        }
        if (index >= serials.length || keccak256(abi.encodePacked(serials)) != request.serialsHash) {
            revert SerialsMismatch();
        }
        serial = serials[index];
        id = _ticketId(request.issuer, request.keyEpoch, serial);
        if (_redeemed[id] != request.provider) revert NotRedeemedOnChainBy(serial, request.provider);
    }

    /// @dev Checks that the request's provider signed a receipt for at least the request's amount.
    function _checkReceipt(
        RedemptionRequest calldata request,
        uint256 receiptValue,
        bytes calldata receiptSignature
    ) private view {
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(
            receiptDigest(request.issuer, request.provider, receiptValue), receiptSignature
        );
        if (err != ECDSA.RecoverError.NoError || signer != request.provider) {
            revert InvalidReceiptSignature();
        }
        if (receiptValue < request.cumulativeAmount) {
            revert ReceiptTooLow(receiptValue, request.cumulativeAmount);
        }
    }

    /// @dev Slashes and jails the provider of a proven double redemption in the issuer's favour; the serial
    /// stays spent and cannot be proven again.
    function _slash(RedemptionRequest calldata request, bytes32 serial, bytes32 id)
        private
        returns (uint256 slashed)
    {
        _redeemed[id] = PROVEN;
        uint256 penalty = uint256(_keys[request.issuer][request.keyEpoch].value) * PENALTY_MULTIPLIER;
        slashed = registry.slash(request.provider, penalty, request.issuer);
        if (slashed != 0) registry.jail(request.provider);
        emit DoubleRedemptionProven(request.provider, request.issuer, serial, slashed);
    }

    function _requireStake(address issuer, uint256 owed) private view {
        uint256 stake = registry.stakeOf(issuer);
        if (stake < owed) revert IssuerStakeInsufficient(stake, owed);
    }

    function _verify(bytes memory sig, bytes memory hashSum, bytes memory publicKey) private view {
        (bool ok, bool valid) = BLS12381.verify(sig, hashSum, publicKey);
        if (!valid) revert PointNotInSubgroup();
        if (!ok) revert InvalidSignature();
    }

    /// @dev Marks every serial as redeemed by the caller and returns the sum of their hashes in G1.
    function _spendAndHash(address issuer, uint64 keyEpoch, bytes32[] calldata serials)
        private
        returns (bytes memory)
    {
        uint256 batch = _nextBatch();
        BLS12381.Hasher memory hasher = BLS12381.newHasher(ticketDST(keyEpoch));
        for (uint256 i; i < serials.length; ++i) {
            bytes32 serial = serials[i];
            bytes32 id = _ticketId(issuer, keyEpoch, serial);
            _markInBatch(id, batch, serial);
            address prior = _redeemed[id];
            if (prior != address(0)) revert AlreadyRedeemed(serial, prior);
            _redeemed[id] = msg.sender;
            hasher.add(serial);
        }
        return hasher.sum();
    }

    /// @dev Checks the aggregate signature's encoding and curve membership; the subgroup is checked by the
    /// pairing precompile.
    function _checkSignaturePoint(bytes calldata aggregateSignature) private view returns (bytes memory sig) {
        sig = aggregateSignature;
        if (sig.length != 128 || !BLS12381.isCanonical(sig)) revert InvalidPointEncoding();
        if (BLS12381.isInfinity(sig)) revert SignatureAtInfinity();
        if (!BLS12381.isOnCurveG1(sig)) revert PointNotOnCurve();
    }

    function _ticketId(address issuer, uint64 keyEpoch, bytes32 serial) private pure returns (bytes32 id) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, issuer)
            mstore(add(m, 0x20), keyEpoch)
            mstore(add(m, 0x40), serial)
            id := keccak256(m, 0x60)
        }
    }

    function _nextBatch() private returns (uint256 batch) {
        bytes32 slot = BATCH_COUNTER_SLOT;
        assembly ("memory-safe") {
            batch := add(tload(slot), 1)
            tstore(slot, batch)
        }
    }

    /// @dev Remembers `id` for the rest of this batch (transient storage keyed by id and batch number), so a
    /// serial repeated within a batch is told apart from one redeemed earlier.
    function _markInBatch(bytes32 id, uint256 batch, bytes32 serial) private {
        bool seen;
        assembly ("memory-safe") {
            mstore(0x00, id)
            mstore(0x20, batch)
            let key := keccak256(0x00, 0x40)
            seen := tload(key)
            tstore(key, 1)
        }
        if (seen) revert DuplicateSerial(serial);
    }
}
