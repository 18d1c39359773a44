// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IRelayRegistry
/// @notice The root of trust of a Murmur network: every relay (provider, mix, issuer) is an entry here,
/// backed by ETH stake. The registry also keeps the network's epoch clock.
/// @dev Only the enforcer contracts named at deployment (the Vault, the ticket issuer) may jail or slash,
/// and only because they checked a proof; nobody can slash by decree.
interface IRelayRegistry {
    /// @notice The life cycle of a registry entry.
    enum Status {
        None, // no entry
        Active, // in the active set
        Exiting, // exit announced, stake unbonding
        Jailed // removed by an enforcer, stake unbonding and still slashable
    }

    /// @notice One relay as the views return it.
    struct RelayView {
        address operator;
        uint8 roles;
        Status status;
        uint128 stake;
        uint64 unlockAt;
        bytes32 nodeKey;
        bytes multiaddrs;
    }

    /// @notice The stake sent is below the minimum.
    error StakeBelowMinimum(uint256 have, uint256 need);
    /// @notice The operator already has an entry.
    error AlreadyRegistered(address operator);
    /// @notice Another operator registered this node identity key.
    error NodeKeyTaken(bytes32 nodeKey, address operator);
    /// @notice The node identity key is zero.
    error InvalidNodeKey();
    /// @notice The role bitmask is empty or has unknown bits.
    error InvalidRoles(uint8 roles);
    /// @notice The multiaddrs are longer than MAX_MULTIADDRS_LENGTH.
    error MultiaddrsTooLong(uint256 length, uint256 max);
    /// @notice The operator has no entry.
    error NotRegistered(address operator);
    /// @notice The entry is not active (exiting or jailed).
    error NotActive(address operator, Status status);
    /// @notice Withdrawal needs an announced exit or a jailing first.
    error ExitNotAnnounced(address operator);
    /// @notice The unbonding delay has not passed.
    error StillUnbonding(uint64 nowTime, uint64 unlockAt);
    /// @notice The caller is not one of the enforcer contracts.
    error NotEnforcer(address caller);
    /// @notice Zero value where ETH was required.
    error ZeroAmount();
    /// @notice A stake overflowed its 128-bit field.
    error StakeOverflow();
    /// @notice An ETH transfer failed.
    error TransferFailed(address to, uint256 amount);
    /// @notice A constructor parameter is out of range.
    error InvalidParameter();

    /// @notice A relay joined the active set.
    event Registered(
        address indexed operator, uint8 roles, bytes32 indexed nodeKey, uint256 stake, bytes multiaddrs
    );
    /// @notice A relay's stake grew.
    event StakeAdded(address indexed operator, uint256 amount, uint256 stake);
    /// @notice A relay changed where it listens.
    event MultiaddrsUpdated(address indexed operator, bytes multiaddrs);
    /// @notice A relay left the active set; its stake unlocks at `unlockAt`.
    event ExitAnnounced(address indexed operator, uint64 unlockAt);
    /// @notice A relay took its stake back and its entry was deleted.
    event Withdrawn(address indexed operator, uint256 amount);
    /// @notice An enforcer removed a relay from the active set.
    event Jailed(address indexed operator, address indexed enforcer, uint64 unlockAt);
    /// @notice An enforcer paid `amount` of a relay's stake to `recipient`.
    event Slashed(
        address indexed operator, address indexed enforcer, address indexed recipient, uint256 amount
    );

    /// @notice Registers the caller as a relay with `msg.value` as stake.
    /// @param roles Bitmask of ROLE_PROVIDER, ROLE_MIX, ROLE_ISSUER.
    /// @param nodeKey The relay's libp2p Ed25519 public key; its peer ID is derived from it (see peerId).
    /// @param multiaddrs The relay's listen addresses: binary multiaddrs, each prefixed by its length as a
    /// uvarint.
    function register(uint8 roles, bytes32 nodeKey, bytes calldata multiaddrs) external payable;

    /// @notice Adds `msg.value` to the caller's stake.
    function addStake() external payable;

    /// @notice Replaces the caller's multiaddrs.
    function setMultiaddrs(bytes calldata multiaddrs) external;

    /// @notice Leaves the active set; the stake unlocks after the unbonding delay.
    function announceExit() external;

    /// @notice Pays the caller its remaining stake once unbonded, and deletes the entry.
    function withdraw() external;

    /// @notice Removes `operator` from the active set. Enforcers only.
    function jail(address operator) external;

    /// @notice Pays up to `amount` of `operator`'s stake to `recipient`. Enforcers only.
    /// @return paid What was paid: less than `amount` when the stake is smaller.
    function slash(address operator, uint256 amount, address recipient) external returns (uint256 paid);

    /// @notice The entry of `operator` (status None when there is none).
    function relay(address operator) external view returns (RelayView memory);

    /// @notice The stake of `operator`, also while exiting or jailed.
    function stakeOf(address operator) external view returns (uint256);

    /// @notice The libp2p peer ID of `operator`'s node (identity multihash of its Ed25519 key).
    function peerId(address operator) external view returns (bytes memory);

    /// @notice The operator that registered `nodeKey`, or zero.
    function operatorOf(bytes32 nodeKey) external view returns (address);

    /// @notice How many relays are active.
    function activeCount() external view returns (uint256);

    /// @notice Up to `limit` active relays starting at position `offset`.
    function activeRelays(uint256 offset, uint256 limit) external view returns (RelayView[] memory);

    /// @notice Whether `account` may jail and slash.
    function isEnforcer(address account) external view returns (bool);

    /// @notice The number of the epoch that contains block.timestamp.
    function currentEpoch() external view returns (uint64);

    /// @notice The timestamp at which `epoch` begins.
    function epochStart(uint64 epoch) external view returns (uint64);
}
