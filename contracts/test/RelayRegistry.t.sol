// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base, Refuser} from "./Base.t.sol";
import {RelayRegistry} from "../src/RelayRegistry.sol";
import {IRelayRegistry} from "../src/interfaces/IRelayRegistry.sol";

contract RelayRegistryTest is Base {
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    bytes32 internal constant KEY_A = keccak256("node a");
    bytes32 internal constant KEY_B = keccak256("node b");
    bytes32 internal constant KEY_C = keccak256("node c");

    // --- constructor -------------------------------------------------------------------------

    function test_constructor_revertsWhen_parametersInvalid() public {
        address[] memory none = new address[](0);
        vm.expectRevert(IRelayRegistry.InvalidParameter.selector);
        new RelayRegistry(0, UNBONDING, EPOCH, none);
        vm.expectRevert(IRelayRegistry.InvalidParameter.selector);
        new RelayRegistry(MIN_STAKE, UNBONDING, 0, none);
        vm.expectRevert(IRelayRegistry.InvalidParameter.selector);
        new RelayRegistry(uint256(type(uint128).max) + 1, UNBONDING, EPOCH, none);
    }

    function test_constructor_namesEnforcers() public view {
        assertTrue(registry.isEnforcer(address(vault)));
        assertTrue(registry.isEnforcer(address(tickets)));
        assertFalse(registry.isEnforcer(address(this)));
    }

    // --- register ----------------------------------------------------------------------------

    function test_register_addsActiveEntry() public {
        vm.deal(alice, 2 ether);
        vm.expectEmit(address(registry));
        emit IRelayRegistry.Registered(alice, 3, KEY_A, 2 ether, ADDRS);
        vm.prank(alice);
        registry.register{value: 2 ether}(3, KEY_A, ADDRS);

        IRelayRegistry.RelayView memory v = registry.relay(alice);
        assertEq(v.operator, alice);
        assertEq(v.roles, 3);
        assertEq(uint8(v.status), uint8(IRelayRegistry.Status.Active));
        assertEq(v.stake, 2 ether);
        assertEq(v.nodeKey, KEY_A);
        assertEq(v.multiaddrs, ADDRS);
        assertEq(registry.activeCount(), 1);
        assertEq(registry.operatorOf(KEY_A), alice);
        assertEq(registry.stakeOf(alice), 2 ether);
        assertEq(address(registry).balance, 2 ether);
        assertEq(registry.peerId(alice), abi.encodePacked(hex"002408011220", KEY_A));
    }

    function test_register_revertsWhen_stakeBelowMinimum() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IRelayRegistry.StakeBelowMinimum.selector, 0.5 ether, MIN_STAKE)
        );
        registry.register{value: 0.5 ether}(1, KEY_A, ADDRS);
    }

    function test_register_revertsWhen_alreadyRegistered() public {
        register(alice, MIN_STAKE, KEY_A);
        vm.deal(alice, MIN_STAKE);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.AlreadyRegistered.selector, alice));
        registry.register{value: MIN_STAKE}(1, KEY_B, ADDRS);
    }

    function test_register_revertsWhen_nodeKeyTaken() public {
        register(alice, MIN_STAKE, KEY_A);
        vm.deal(bob, MIN_STAKE);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.NodeKeyTaken.selector, KEY_A, alice));
        registry.register{value: MIN_STAKE}(1, KEY_A, ADDRS);
    }

    function test_register_revertsWhen_nodeKeyZero() public {
        vm.deal(alice, MIN_STAKE);
        vm.prank(alice);
        vm.expectRevert(IRelayRegistry.InvalidNodeKey.selector);
        registry.register{value: MIN_STAKE}(1, bytes32(0), ADDRS);
    }

    function test_register_revertsWhen_rolesInvalid() public {
        vm.deal(alice, 2 * MIN_STAKE);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.InvalidRoles.selector, 0));
        registry.register{value: MIN_STAKE}(0, KEY_A, ADDRS);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.InvalidRoles.selector, 8));
        registry.register{value: MIN_STAKE}(8, KEY_A, ADDRS);
        vm.stopPrank();
    }

    function test_register_revertsWhen_multiaddrsTooLong() public {
        vm.deal(alice, MIN_STAKE);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.MultiaddrsTooLong.selector, 513, 512));
        registry.register{value: MIN_STAKE}(1, KEY_A, new bytes(513));
    }

    function test_register_revertsWhen_stakeOverflows() public {
        vm.deal(alice, uint256(type(uint128).max) + 1);
        vm.prank(alice);
        vm.expectRevert(IRelayRegistry.StakeOverflow.selector);
        registry.register{value: uint256(type(uint128).max) + 1}(1, KEY_A, ADDRS);
    }

    function testFuzz_register_keepsStake(uint96 stake, uint8 roles) public {
        stake = uint96(bound(stake, MIN_STAKE, 1_000_000 ether));
        roles = uint8(bound(roles, 1, 7));
        vm.deal(alice, stake);
        vm.prank(alice);
        registry.register{value: stake}(roles, KEY_A, ADDRS);
        assertEq(registry.stakeOf(alice), stake);
        assertEq(registry.relay(alice).roles, roles);
        assertEq(address(registry).balance, stake);
    }

    // --- addStake, setMultiaddrs -------------------------------------------------------------

    function test_addStake_grows() public {
        register(alice, MIN_STAKE, KEY_A);
        vm.deal(alice, 3 ether);
        vm.expectEmit(address(registry));
        emit IRelayRegistry.StakeAdded(alice, 3 ether, MIN_STAKE + 3 ether);
        vm.prank(alice);
        registry.addStake{value: 3 ether}();
        assertEq(registry.stakeOf(alice), MIN_STAKE + 3 ether);
    }

    function test_addStake_revertsWhen_zero() public {
        register(alice, MIN_STAKE, KEY_A);
        vm.prank(alice);
        vm.expectRevert(IRelayRegistry.ZeroAmount.selector);
        registry.addStake();
    }

    function test_addStake_revertsWhen_notRegistered() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.NotRegistered.selector, alice));
        registry.addStake{value: 1 ether}();
    }

    function test_setMultiaddrs_replaces() public {
        register(alice, MIN_STAKE, KEY_A);
        bytes memory next = hex"08047f000001060fa2";
        vm.expectEmit(address(registry));
        emit IRelayRegistry.MultiaddrsUpdated(alice, next);
        vm.prank(alice);
        registry.setMultiaddrs(next);
        assertEq(registry.relay(alice).multiaddrs, next);
    }

    function test_setMultiaddrs_revertsWhen_notRegisteredOrTooLong() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.NotRegistered.selector, alice));
        registry.setMultiaddrs(ADDRS);
        register(alice, MIN_STAKE, KEY_A);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.MultiaddrsTooLong.selector, 600, 512));
        registry.setMultiaddrs(new bytes(600));
    }

    // --- exit and withdraw -------------------------------------------------------------------

    function test_announceExit_removesFromActiveSet() public {
        register(alice, MIN_STAKE, KEY_A);
        register(bob, MIN_STAKE, KEY_B);
        register(carol, MIN_STAKE, KEY_C);

        vm.expectEmit(address(registry));
        emit IRelayRegistry.ExitAnnounced(alice, uint64(block.timestamp) + UNBONDING);
        vm.prank(alice);
        registry.announceExit();

        assertEq(registry.activeCount(), 2);
        IRelayRegistry.RelayView[] memory page = registry.activeRelays(0, 10);
        assertEq(page.length, 2);
        // swap-and-pop moved carol into alice's place.
        assertEq(page[0].operator, carol);
        assertEq(page[1].operator, bob);
        assertEq(uint8(registry.relay(alice).status), uint8(IRelayRegistry.Status.Exiting));

        // carol's position was updated: removing her now must leave only bob.
        vm.prank(carol);
        registry.announceExit();
        page = registry.activeRelays(0, 10);
        assertEq(page.length, 1);
        assertEq(page[0].operator, bob);
    }

    function test_announceExit_revertsWhen_notActive() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IRelayRegistry.NotActive.selector, alice, IRelayRegistry.Status.None)
        );
        registry.announceExit();
        register(alice, MIN_STAKE, KEY_A);
        vm.startPrank(alice);
        registry.announceExit();
        vm.expectRevert(
            abi.encodeWithSelector(IRelayRegistry.NotActive.selector, alice, IRelayRegistry.Status.Exiting)
        );
        registry.announceExit();
        vm.stopPrank();
    }

    function test_withdraw_paysAfterUnbonding() public {
        register(alice, 2 ether, KEY_A);
        vm.prank(alice);
        registry.announceExit();
        vm.warp(block.timestamp + UNBONDING);
        uint256 before = alice.balance;
        vm.expectEmit(address(registry));
        emit IRelayRegistry.Withdrawn(alice, 2 ether);
        vm.prank(alice);
        registry.withdraw();
        assertEq(alice.balance - before, 2 ether);
        assertEq(uint8(registry.relay(alice).status), uint8(IRelayRegistry.Status.None));
        assertEq(registry.operatorOf(KEY_A), address(0));
        assertEq(address(registry).balance, 0);
        // the node key is free again
        register(bob, MIN_STAKE, KEY_A);
    }

    function test_withdraw_revertsWhen_stillUnbonding() public {
        register(alice, MIN_STAKE, KEY_A);
        vm.prank(alice);
        registry.announceExit();
        uint64 unlockAt = uint64(block.timestamp) + UNBONDING;
        vm.warp(unlockAt - 1);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IRelayRegistry.StillUnbonding.selector, unlockAt - 1, unlockAt)
        );
        registry.withdraw();
    }

    function test_withdraw_revertsWhen_exitNotAnnounced() public {
        register(alice, MIN_STAKE, KEY_A);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.ExitNotAnnounced.selector, alice));
        registry.withdraw();
    }

    function test_withdraw_revertsWhen_notRegistered() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.NotRegistered.selector, alice));
        registry.withdraw();
    }

    function test_withdraw_revertsWhen_transferFails() public {
        address refuser = address(new Refuser());
        register(refuser, MIN_STAKE, KEY_A);
        vm.prank(refuser);
        registry.announceExit();
        vm.warp(block.timestamp + UNBONDING);
        vm.prank(refuser);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.TransferFailed.selector, refuser, MIN_STAKE));
        registry.withdraw();
        assertEq(registry.stakeOf(refuser), MIN_STAKE, "stake kept");
    }

    // --- jail and slash ----------------------------------------------------------------------

    function test_jail_revertsWhen_notEnforcer() public {
        register(alice, MIN_STAKE, KEY_A);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.NotEnforcer.selector, address(this)));
        registry.jail(alice);
    }

    function test_slash_revertsWhen_notEnforcer() public {
        register(alice, MIN_STAKE, KEY_A);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.NotEnforcer.selector, alice));
        registry.slash(alice, MIN_STAKE, alice);
    }

    function test_jail_removesAndRestartsUnbonding() public {
        register(alice, MIN_STAKE, KEY_A);
        register(bob, MIN_STAKE, KEY_B);
        vm.prank(alice);
        registry.announceExit();
        vm.warp(block.timestamp + 1 days);
        uint64 expected = uint64(block.timestamp) + UNBONDING;

        vm.expectEmit(address(registry));
        emit IRelayRegistry.Jailed(alice, address(vault), expected);
        vm.prank(address(vault));
        registry.jail(alice);
        assertEq(registry.relay(alice).unlockAt, expected);
        assertEq(uint8(registry.relay(alice).status), uint8(IRelayRegistry.Status.Jailed));

        vm.prank(address(vault));
        registry.jail(bob);
        assertEq(registry.activeCount(), 0);

        vm.warp(expected);
        vm.prank(alice);
        registry.withdraw();
        assertEq(alice.balance, MIN_STAKE);
    }

    function test_jail_revertsWhen_notRegistered() public {
        vm.prank(address(vault));
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.NotRegistered.selector, alice));
        registry.jail(alice);
    }

    function testFuzz_slash_paysAtMostStake(uint128 amount) public {
        register(alice, 5 ether, KEY_A);
        uint256 expected = amount < 5 ether ? amount : 5 ether;
        vm.prank(address(vault));
        uint256 paid = registry.slash(alice, amount, bob);
        assertEq(paid, expected);
        assertEq(bob.balance, expected);
        assertEq(registry.stakeOf(alice), 5 ether - expected);
        assertEq(address(registry).balance, 5 ether - expected);
    }

    function test_slash_paysNothingForUnknownOperator() public {
        vm.prank(address(vault));
        assertEq(registry.slash(alice, 1 ether, bob), 0);
    }

    function test_slash_revertsWhen_recipientReenters() public {
        register(alice, MIN_STAKE, KEY_A);
        Reenterer thief = new Reenterer(registry);
        vm.prank(address(vault));
        vm.expectRevert(
            abi.encodeWithSelector(IRelayRegistry.TransferFailed.selector, address(thief), 0.5 ether)
        );
        registry.slash(alice, 0.5 ether, address(thief));
        assertEq(registry.stakeOf(alice), MIN_STAKE);
    }

    // --- views -------------------------------------------------------------------------------

    function testFuzz_activeRelays_pages(uint8 n, uint8 offset, uint8 limit) public {
        n = uint8(bound(n, 0, 20));
        for (uint256 i; i < n; ++i) {
            register(address(uint160(0x1000 + i)), MIN_STAKE, bytes32(i + 1));
        }
        IRelayRegistry.RelayView[] memory page = registry.activeRelays(offset, limit);
        uint256 want = offset >= n ? 0 : (n - offset < limit ? n - offset : limit);
        assertEq(page.length, want);
        for (uint256 i; i < page.length; ++i) {
            assertEq(page[i].operator, address(uint160(0x1000 + offset + i)));
        }
    }

    function test_peerId_revertsWhen_notRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IRelayRegistry.NotRegistered.selector, alice));
        registry.peerId(alice);
    }

    function test_epochs_countFromGenesis() public {
        uint64 g = registry.genesis();
        assertEq(registry.currentEpoch(), 0);
        vm.warp(g + EPOCH - 1);
        assertEq(registry.currentEpoch(), 0);
        vm.warp(g + 5 * EPOCH);
        assertEq(registry.currentEpoch(), 5);
        assertEq(registry.epochStart(5), g + 5 * EPOCH);
    }

    // --- gas ---------------------------------------------------------------------------------

    function test_gas_register() public {
        vm.deal(alice, MIN_STAKE);
        register(bob, MIN_STAKE, KEY_B); // the active array exists already, as in a live network
        vm.prank(alice);
        registry.register{value: MIN_STAKE}(2, KEY_A, ADDRS);
        vm.snapshotGasLastCall("RelayRegistry", "register");
    }
}

/// @dev A slash recipient that tries to withdraw from the registry while being paid.
contract Reenterer {
    RelayRegistry internal immutable registry;

    constructor(RelayRegistry r) {
        registry = r;
    }

    receive() external payable {
        registry.withdraw();
    }
}
