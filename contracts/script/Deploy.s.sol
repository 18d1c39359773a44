// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Script} from "forge-std/Script.sol";
import {RelayRegistry} from "../src/RelayRegistry.sol";
import {Vault} from "../src/Vault.sol";
import {TicketIssuer} from "../src/TicketIssuer.sol";
import {IRelayRegistry} from "../src/interfaces/IRelayRegistry.sol";
import {IVault} from "../src/interfaces/IVault.sol";

/// @notice Deploys a Murmur network (registry, vault, ticket issuer) from the broadcasting account, as
/// `murmur deploy` does, and writes its network file: what relays and clients name with `network = ...`.
/// The registry names the vault and the ticket issuer as its enforcers by their predicted addresses, so
/// the three are bound together without an owner.
///
///   forge script contracts/script/Deploy.s.sol --rpc-url $RPC --broadcast --private-key $KEY
///
/// Parameters come from the environment, with the defaults of `murmur deploy`: MURMUR_MIN_STAKE_WEI
/// (the cost model's 0.05 ETH), MURMUR_UNBONDING_S (a week), MURMUR_EPOCH_S (20 minutes),
/// MURMUR_WITHDRAWAL_NOTICE_S (two days) and MURMUR_NETWORK_FILE (deployments/network.json; the
/// script may write only under deployments/).
contract Deploy is Script {
    struct Params {
        uint256 minStake;
        uint64 unbonding;
        uint64 epoch;
        uint64 notice;
    }

    struct Deployment {
        address deployer;
        uint256 firstBlock;
        RelayRegistry registry;
        Vault vault;
        TicketIssuer tickets;
    }

    function run() external returns (RelayRegistry, Vault, TicketIssuer) {
        Params memory p = Params({
            minStake: vm.envOr("MURMUR_MIN_STAKE_WEI", uint256(5e16)),
            unbonding: uint64(vm.envOr("MURMUR_UNBONDING_S", uint256(7 days))),
            epoch: uint64(vm.envOr("MURMUR_EPOCH_S", uint256(20 minutes))),
            notice: uint64(vm.envOr("MURMUR_WITHDRAWAL_NOTICE_S", uint256(2 days)))
        });
        Deployment memory d = _deploy(p);
        _write(vm.envOr("MURMUR_NETWORK_FILE", string("deployments/network.json")), p, d);
        return (d.registry, d.vault, d.tickets);
    }

    function _deploy(Params memory p) internal returns (Deployment memory d) {
        vm.startBroadcast();
        (, d.deployer,) = vm.readCallers();
        uint64 nonce = vm.getNonce(d.deployer);
        address[] memory enforcers = new address[](2);
        enforcers[0] = vm.computeCreateAddress(d.deployer, nonce + 1);
        enforcers[1] = vm.computeCreateAddress(d.deployer, nonce + 2);
        d.firstBlock = block.number;
        d.registry = new RelayRegistry(p.minStake, p.unbonding, p.epoch, enforcers);
        d.vault = new Vault(IRelayRegistry(address(d.registry)), p.notice);
        d.tickets = new TicketIssuer(IRelayRegistry(address(d.registry)), IVault(address(d.vault)));
        vm.stopBroadcast();
        require(
            address(d.vault) == enforcers[0] && address(d.tickets) == enforcers[1],
            "Deploy: unexpected addresses"
        );
    }

    /// @dev The network file, in the layout of chain.Network (Go).
    function _write(string memory out, Params memory p, Deployment memory d) internal {
        vm.serializeAddress("contracts", "registry", address(d.registry));
        vm.serializeAddress("contracts", "vault", address(d.vault));
        string memory contractsJson = vm.serializeAddress("contracts", "tickets", address(d.tickets));
        vm.serializeString("params", "min_stake_wei", vm.toString(p.minStake));
        vm.serializeUint("params", "unbonding_delay_s", p.unbonding);
        vm.serializeUint("params", "epoch_length_s", p.epoch);
        string memory paramsJson = vm.serializeUint("params", "withdrawal_notice_s", p.notice);
        vm.serializeUint("network", "chain_id", block.chainid);
        vm.serializeString("network", "contracts", contractsJson);
        // The head when the script ran: the deployment's block or one before it, where a scan of its
        // logs can start.
        vm.serializeUint("network", "deploy_block", d.firstBlock);
        vm.serializeAddress("network", "deployer", d.deployer);
        vm.createDir("deployments", true);
        vm.writeJson(vm.serializeString("network", "params", paramsJson), out);
    }
}
