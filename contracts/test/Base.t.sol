// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {RelayRegistry} from "../src/RelayRegistry.sol";
import {Vault} from "../src/Vault.sol";
import {TicketIssuer} from "../src/TicketIssuer.sol";
import {IVault} from "../src/interfaces/IVault.sol";

/// @dev Deploys a registry and a vault the way the deploy script does, and signs cheques independently
/// of the contract's own digest function, so that the tests pin the EIP-712 format.
abstract contract Base is Test {
    uint256 internal constant MIN_STAKE = 1 ether;
    uint64 internal constant UNBONDING = 7 days;
    uint64 internal constant EPOCH = 20 minutes;
    uint64 internal constant NOTICE = 2 days;
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant CHEQUE_TYPEHASH =
        keccak256("Cheque(address payer,address payee,uint256 cumulativeAmount)");
    // Two binary multiaddrs, /ip4/127.0.0.1/tcp/4001 and /ip4/127.0.0.1/udp/4001/quic-v1, uvarint-prefixed.
    bytes internal constant ADDRS = hex"08047f000001060fa10b047f00000191020fa1cd03";

    RelayRegistry internal registry;
    Vault internal vault;
    TicketIssuer internal tickets;

    function setUp() public virtual {
        // The registry names its enforcers by the addresses the next two deployments will get.
        uint64 nonce = vm.getNonce(address(this));
        address[] memory enforcers = new address[](2);
        enforcers[0] = vm.computeCreateAddress(address(this), nonce + 1);
        enforcers[1] = vm.computeCreateAddress(address(this), nonce + 2);
        registry = new RelayRegistry(MIN_STAKE, UNBONDING, EPOCH, enforcers);
        vault = new Vault(registry, NOTICE);
        tickets = new TicketIssuer(registry, vault);
        assertEq(address(vault), enforcers[0], "vault address prediction");
        assertEq(address(tickets), enforcers[1], "ticket issuer address prediction");
    }

    function domainSeparator(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("Murmur Vault"), keccak256("1"), chainId, verifyingContract)
        );
    }

    function digest(bytes32 domain, IVault.Cheque memory c) internal pure returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(CHEQUE_TYPEHASH, c.payer, c.payee, c.cumulativeAmount));
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function signDigest(uint256 key, bytes32 d) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, d);
        return abi.encodePacked(r, s, v);
    }

    function sign(uint256 key, IVault.Cheque memory c) internal view returns (bytes memory) {
        return signDigest(key, digest(domainSeparator(block.chainid, address(vault)), c));
    }

    function cheque(address payer, address payee, uint256 amount)
        internal
        pure
        returns (IVault.Cheque memory)
    {
        return IVault.Cheque({payer: payer, payee: payee, cumulativeAmount: amount});
    }

    function register(address operator, uint256 stake, bytes32 nodeKey) internal {
        uint8 role = registry.ROLE_MIX(); // read before the prank, which applies to the next call only
        vm.deal(operator, operator.balance + stake);
        vm.prank(operator);
        registry.register{value: stake}(role, nodeKey, ADDRS);
    }
}

/// @dev Refuses ETH, to exercise failed transfers.
contract Refuser {
    receive() external payable {
        revert("no");
    }
}
