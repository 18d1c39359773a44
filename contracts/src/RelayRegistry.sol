// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IRelayRegistry} from "./interfaces/IRelayRegistry.sol";

/// @title RelayRegistry
/// @notice Stake-backed registry of Murmur relays and the network's epoch clock.
contract RelayRegistry is IRelayRegistry, ReentrancyGuardTransient {
    /// @notice Role bit: entry and exit of the mix network, hosts mailboxes.
    uint8 public constant ROLE_PROVIDER = 1;
    /// @notice Role bit: a node of a mix layer.
    uint8 public constant ROLE_MIX = 2;
    /// @notice Role bit: sells and redeems blind-signed tickets.
    uint8 public constant ROLE_ISSUER = 4;
    uint8 private constant ROLES_ALL = ROLE_PROVIDER | ROLE_MIX | ROLE_ISSUER;
    /// @notice Upper bound on the encoded multiaddrs of one relay, in bytes.
    uint256 public constant MAX_MULTIADDRS_LENGTH = 512;

    /// @dev Slot 0 packs, from the low bits: stake (128) | unlockAt (64) | index (32) | roles (8) | status (8).
    /// `index` is the position in `_active` plus one, 0 when the relay is not in the active set.
    struct Relay {
        uint128 stake;
        uint64 unlockAt;
        uint32 index;
        uint8 roles;
        Status status;
        bytes32 nodeKey;
        bytes multiaddrs;
    }

    /// @notice The least stake an entry must bring.
    uint256 public immutable minStake;
    /// @notice How long stake stays slashable after an exit or a jailing, in seconds.
    uint64 public immutable unbondingDelay;
    /// @notice The timestamp at which epoch 0 begins.
    uint64 public immutable genesis;
    /// @notice The length of an epoch in seconds.
    uint64 public immutable epochLength;

    mapping(address operator => Relay) private _relays;
    mapping(bytes32 nodeKey => address operator) private _operatorOf;
    mapping(address account => bool) private _enforcers;
    address[] private _active;

    /// @param minStake_ The least stake an entry must bring.
    /// @param unbondingDelay_ Seconds between an exit (or jailing) and the withdrawal of stake.
    /// @param epochLength_ Seconds per epoch; epoch 0 starts at deployment.
    /// @param enforcers_ The contracts that may jail and slash because they verify proofs (Vault, ...).
    constructor(uint256 minStake_, uint64 unbondingDelay_, uint64 epochLength_, address[] memory enforcers_) {
        if (minStake_ == 0 || minStake_ > type(uint128).max || epochLength_ == 0) revert InvalidParameter();
        minStake = minStake_;
        unbondingDelay = unbondingDelay_;
        epochLength = epochLength_;
        genesis = uint64(block.timestamp);
        for (uint256 i; i < enforcers_.length; ++i) {
            _enforcers[enforcers_[i]] = true;
        }
    }

    /// @inheritdoc IRelayRegistry
    function register(uint8 roles, bytes32 nodeKey, bytes calldata multiaddrs) external payable {
        Relay storage r = _relays[msg.sender];
        if (r.status != Status.None) revert AlreadyRegistered(msg.sender);
        if (roles == 0 || roles & ~ROLES_ALL != 0) revert InvalidRoles(roles);
        if (nodeKey == bytes32(0)) revert InvalidNodeKey();
        address holder = _operatorOf[nodeKey];
        if (holder != address(0)) revert NodeKeyTaken(nodeKey, holder);
        if (msg.value < minStake) revert StakeBelowMinimum(msg.value, minStake);
        if (msg.value > type(uint128).max) revert StakeOverflow();
        if (multiaddrs.length > MAX_MULTIADDRS_LENGTH) {
            revert MultiaddrsTooLong(multiaddrs.length, MAX_MULTIADDRS_LENGTH);
        }

        _active.push(msg.sender);
        // forge-lint: disable-next-line(unsafe-typecast) -- checked against type(uint128).max above
        r.stake = uint128(msg.value);
        // forge-lint: disable-next-line(unsafe-typecast) -- the active set cannot reach 2^32 entries (each costs minStake)
        r.index = uint32(_active.length);
        r.roles = roles;
        r.status = Status.Active;
        r.nodeKey = nodeKey;
        if (multiaddrs.length != 0) r.multiaddrs = multiaddrs;
        _operatorOf[nodeKey] = msg.sender;
        emit Registered(msg.sender, roles, nodeKey, msg.value, multiaddrs);
    }

    /// @inheritdoc IRelayRegistry
    function addStake() external payable {
        if (msg.value == 0) revert ZeroAmount();
        Relay storage r = _relays[msg.sender];
        if (r.status == Status.None) revert NotRegistered(msg.sender);
        uint256 stake = uint256(r.stake) + msg.value;
        if (stake > type(uint128).max) revert StakeOverflow();
        // forge-lint: disable-next-line(unsafe-typecast) -- checked against type(uint128).max above
        r.stake = uint128(stake);
        emit StakeAdded(msg.sender, msg.value, stake);
    }

    /// @inheritdoc IRelayRegistry
    function setMultiaddrs(bytes calldata multiaddrs) external {
        Relay storage r = _relays[msg.sender];
        if (r.status == Status.None) revert NotRegistered(msg.sender);
        if (multiaddrs.length > MAX_MULTIADDRS_LENGTH) {
            revert MultiaddrsTooLong(multiaddrs.length, MAX_MULTIADDRS_LENGTH);
        }
        r.multiaddrs = multiaddrs;
        emit MultiaddrsUpdated(msg.sender, multiaddrs);
    }

    /// @inheritdoc IRelayRegistry
    function announceExit() external {
        Relay storage r = _relays[msg.sender];
        if (r.status != Status.Active) revert NotActive(msg.sender, r.status);
        _removeActive(r);
        uint64 unlockAt = uint64(block.timestamp) + unbondingDelay;
        r.status = Status.Exiting;
        r.unlockAt = unlockAt;
        emit ExitAnnounced(msg.sender, unlockAt);
    }

    /// @inheritdoc IRelayRegistry
    function withdraw() external nonReentrant {
        Relay storage r = _relays[msg.sender];
        Status status = r.status;
        if (status == Status.None) revert NotRegistered(msg.sender);
        if (status == Status.Active) revert ExitNotAnnounced(msg.sender);
        if (block.timestamp < r.unlockAt) revert StillUnbonding(uint64(block.timestamp), r.unlockAt);

        uint256 amount = r.stake;
        delete _operatorOf[r.nodeKey];
        delete _relays[msg.sender];
        emit Withdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    /// @inheritdoc IRelayRegistry
    function jail(address operator) external {
        if (!_enforcers[msg.sender]) revert NotEnforcer(msg.sender);
        Relay storage r = _relays[operator];
        if (r.status == Status.None) revert NotRegistered(operator);
        if (r.status == Status.Active) _removeActive(r);
        // A jailing restarts the unbonding clock: the stake must stay slashable for claims that follow.
        uint64 unlockAt = uint64(block.timestamp) + unbondingDelay;
        if (unlockAt > r.unlockAt) r.unlockAt = unlockAt;
        r.status = Status.Jailed;
        emit Jailed(operator, msg.sender, r.unlockAt);
    }

    /// @inheritdoc IRelayRegistry
    function slash(address operator, uint256 amount, address recipient)
        external
        nonReentrant
        returns (uint256 paid)
    {
        if (!_enforcers[msg.sender]) revert NotEnforcer(msg.sender);
        Relay storage r = _relays[operator];
        uint256 stake = r.stake;
        paid = amount < stake ? amount : stake;
        if (paid == 0) return 0;
        // forge-lint: disable-next-line(unsafe-typecast) -- paid <= stake, which came from a uint128
        r.stake = uint128(stake - paid);
        emit Slashed(operator, msg.sender, recipient, paid);
        _send(recipient, paid);
    }

    /// @inheritdoc IRelayRegistry
    function relay(address operator) external view returns (RelayView memory) {
        return _view(operator);
    }

    /// @inheritdoc IRelayRegistry
    function stakeOf(address operator) external view returns (uint256) {
        return _relays[operator].stake;
    }

    /// @inheritdoc IRelayRegistry
    function peerId(address operator) external view returns (bytes memory) {
        bytes32 key = _relays[operator].nodeKey;
        if (key == bytes32(0)) revert NotRegistered(operator);
        // identity multihash (0x00, length 36) of the protobuf PublicKey{Type: Ed25519, Data: key}.
        return abi.encodePacked(hex"002408011220", key);
    }

    /// @inheritdoc IRelayRegistry
    function operatorOf(bytes32 nodeKey) external view returns (address) {
        return _operatorOf[nodeKey];
    }

    /// @inheritdoc IRelayRegistry
    function activeCount() external view returns (uint256) {
        return _active.length;
    }

    /// @inheritdoc IRelayRegistry
    function activeRelays(uint256 offset, uint256 limit) external view returns (RelayView[] memory page) {
        uint256 n = _active.length;
        if (offset >= n) return page;
        uint256 end = n - offset < limit ? n : offset + limit;
        page = new RelayView[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            page[i - offset] = _view(_active[i]);
        }
    }

    /// @inheritdoc IRelayRegistry
    function isEnforcer(address account) external view returns (bool) {
        return _enforcers[account];
    }

    /// @inheritdoc IRelayRegistry
    function currentEpoch() external view returns (uint64) {
        return (uint64(block.timestamp) - genesis) / epochLength;
    }

    /// @inheritdoc IRelayRegistry
    function epochStart(uint64 epoch) external view returns (uint64) {
        return genesis + epoch * epochLength;
    }

    function _view(address operator) private view returns (RelayView memory v) {
        Relay storage r = _relays[operator];
        v.operator = r.status == Status.None ? address(0) : operator;
        v.roles = r.roles;
        v.status = r.status;
        v.stake = r.stake;
        v.unlockAt = r.unlockAt;
        v.nodeKey = r.nodeKey;
        v.multiaddrs = r.multiaddrs;
    }

    /// @dev Swap-and-pop: the last active relay takes the removed one's position.
    function _removeActive(Relay storage r) private {
        uint256 pos = r.index - 1;
        uint256 last = _active.length - 1;
        if (pos != last) {
            address moved = _active[last];
            _active[pos] = moved;
            // forge-lint: disable-next-line(unsafe-typecast) -- pos < _active.length, which fits 32 bits (each entry costs minStake)
            _relays[moved].index = uint32(pos + 1);
        }
        _active.pop();
        r.index = 0;
    }

    function _send(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
