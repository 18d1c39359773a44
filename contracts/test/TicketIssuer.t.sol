// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base} from "./Base.t.sol";
import {ITicketIssuer} from "../src/interfaces/ITicketIssuer.sol";
import {IRelayRegistry} from "../src/interfaces/IRelayRegistry.sol";
import {IVault} from "../src/interfaces/IVault.sol";
import {BLS12381} from "../src/lib/BLS12381.sol";

/// @dev Test-side BLS: keys and signatures made with the MSM precompiles, so these tests do not depend on
/// the Go implementation (the shared vectors in TicketVectors.t.sol check that the two agree).
abstract contract BLSHelpers is Base {
    bytes internal constant G2_GEN =
        hex"00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb80000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e000000000000000000000000000000000ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801000000000000000000000000000000000606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be";
    // (4, sqrt(4^3 + 4)): on the curve, outside the prime-order subgroup.
    bytes internal constant NOT_IN_SUBGROUP =
        hex"00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004000000000000000000000000000000000a989badd40d6212b33cffc3f3763e9bc760f988c9926b26da9dd85e928483446346b8ed00e1de5d5ea93e354abe706c";

    function g2Mul(bytes memory p, uint256 k) internal view returns (bytes memory) {
        (bool ok, bytes memory out) = address(0x0e).staticcall(abi.encodePacked(p, k));
        require(ok, "g2 msm");
        return out;
    }

    function g1Mul(bytes memory p, uint256 k) internal view returns (bytes memory) {
        (bool ok, bytes memory out) = address(0x0c).staticcall(abi.encodePacked(p, k));
        require(ok, "g1 msm");
        return out;
    }

    /// @dev sk · Σ H(serial_i): the aggregate signature of a batch, in one scalar multiplication.
    function aggregate(uint256 sk, uint64 keyEpoch, bytes32[] memory serials)
        internal
        view
        returns (bytes memory)
    {
        bytes memory dst = tickets.ticketDST(keyEpoch);
        bytes memory sum = new bytes(128);
        for (uint256 i; i < serials.length; ++i) {
            sum = BLS12381.g1Add(sum, BLS12381.hashToG1(dst, abi.encodePacked(serials[i])));
        }
        return g1Mul(sum, sk);
    }

    function serialsOf(uint256 n, uint256 seed) internal pure returns (bytes32[] memory s) {
        s = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            s[i] = keccak256(abi.encode(seed, i));
        }
    }
}

contract TicketIssuerTest is BLSHelpers {
    uint256 internal constant SK = 0x2b1ad5e0c7f1b8e4d1a05f3c6e9b2d8a4f7c1e3b5d9a2c6e8f0b4d7a1c3e5f79;
    uint64 internal constant KEY_EPOCH = 7;
    uint128 internal constant VALUE = 0.001 ether;
    uint256 internal providerKey = 0xB0B;
    uint256 internal issuerKey = 0x155E;
    address internal issuer;
    address internal provider;

    function setUp() public override {
        super.setUp();
        provider = vm.addr(providerKey);
        issuer = vm.addr(issuerKey);
        uint8 roles = registry.ROLE_ISSUER() | registry.ROLE_PROVIDER(); // before the prank
        vm.deal(issuer, 10 ether);
        vm.prank(issuer);
        registry.register{value: 10 ether}(roles, keccak256("issuer node"), ADDRS);
        register(provider, MIN_STAKE, keccak256("provider node"));
        bytes memory pk = g2Mul(G2_GEN, SK); // before the prank: a precompile call would consume it
        vm.prank(issuer);
        tickets.publishKey(KEY_EPOCH, pk, VALUE, uint64(block.timestamp + 30 days));
    }

    function redeemAs(address who, bytes32[] memory serials, bytes memory sig) internal returns (uint256) {
        vm.prank(who);
        return tickets.redeem(issuer, KEY_EPOCH, VALUE, serials, sig);
    }

    // --- publishKey --------------------------------------------------------------------------

    function test_publishKey_stores() public view {
        ITicketIssuer.Key memory k = tickets.keyOf(issuer, KEY_EPOCH);
        assertEq(k.value, VALUE);
        assertEq(k.publicKey, g2Mul(G2_GEN, SK));
    }

    function test_publishKey_revertsWhen_notIssuer() public {
        bytes memory pk = g2Mul(G2_GEN, SK);
        vm.prank(provider); // a mix, not an issuer
        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.NotIssuer.selector, provider));
        tickets.publishKey(8, pk, VALUE, uint64(block.timestamp + 1 days));
        vm.prank(address(0xdead)); // not registered at all
        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.NotIssuer.selector, address(0xdead)));
        tickets.publishKey(8, pk, VALUE, uint64(block.timestamp + 1 days));
    }

    function test_publishKey_revertsWhen_alreadyPublished() public {
        bytes memory pk = g2Mul(G2_GEN, SK + 1);
        vm.prank(issuer);
        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.KeyAlreadyPublished.selector, issuer, KEY_EPOCH));
        tickets.publishKey(KEY_EPOCH, pk, VALUE, uint64(block.timestamp + 1 days));
    }

    function test_publishKey_revertsWhen_keyInvalid() public {
        bytes memory good = g2Mul(G2_GEN, SK);
        bytes memory offCurve = bytes.concat(good);
        offCurve[255] ^= 0x01;
        bytes memory nonCanonical = bytes.concat(good);
        nonCanonical[0] = 0x01;
        bytes[4] memory bad = [new bytes(256), offCurve, nonCanonical, new bytes(128)];
        vm.startPrank(issuer);
        for (uint256 i; i < bad.length; ++i) {
            vm.expectRevert(ITicketIssuer.InvalidPublicKey.selector);
            tickets.publishKey(9, bad[i], VALUE, uint64(block.timestamp + 1 days));
        }
        vm.stopPrank();
    }

    function test_publishKey_revertsWhen_parametersInvalid() public {
        bytes memory pk = g2Mul(G2_GEN, SK);
        vm.startPrank(issuer);
        vm.expectRevert(ITicketIssuer.InvalidKeyParameters.selector);
        tickets.publishKey(9, pk, 0, uint64(block.timestamp + 1 days));
        vm.expectRevert(ITicketIssuer.InvalidKeyParameters.selector);
        tickets.publishKey(9, pk, VALUE, uint64(block.timestamp));
        vm.stopPrank();
    }

    // --- redeem ------------------------------------------------------------------------------

    function test_redeem_paysFromIssuerStake() public {
        bytes32[] memory s = serialsOf(3, 1);
        uint256 before = provider.balance;
        vm.expectEmit(address(tickets));
        emit ITicketIssuer.Redeemed(issuer, KEY_EPOCH, provider, 3, 3 * VALUE);
        uint256 paid = redeemAs(provider, s, aggregate(SK, KEY_EPOCH, s));
        assertEq(paid, 3 * VALUE);
        assertEq(provider.balance - before, 3 * VALUE);
        assertEq(registry.stakeOf(issuer), 10 ether - 3 * VALUE);
        assertEq(tickets.redeemerOf(issuer, KEY_EPOCH, s[1]), provider);
    }

    function testFuzz_redeem_anyBatch(uint8 n, uint256 seed) public {
        n = uint8(bound(n, 1, 12));
        bytes32[] memory s = serialsOf(n, seed);
        assertEq(redeemAs(provider, s, aggregate(SK, KEY_EPOCH, s)), uint256(n) * VALUE);
    }

    function test_redeem_revertsWhen_forged() public {
        bytes32[] memory s = serialsOf(2, 2);
        bytes memory sig = aggregate(SK + 1, KEY_EPOCH, s);
        vm.expectRevert(ITicketIssuer.InvalidSignature.selector);
        redeemAs(provider, s, sig);
        // A valid aggregate for other serials does not redeem these.
        sig = aggregate(SK, KEY_EPOCH, serialsOf(2, 3));
        vm.expectRevert(ITicketIssuer.InvalidSignature.selector);
        redeemAs(provider, s, sig);
        // Nor does a signature made for another key epoch.
        sig = aggregate(SK, KEY_EPOCH + 1, s);
        vm.expectRevert(ITicketIssuer.InvalidSignature.selector);
        redeemAs(provider, s, sig);
    }

    function test_redeem_revertsWhen_replayed() public {
        bytes32[] memory s = serialsOf(2, 4);
        bytes memory sig = aggregate(SK, KEY_EPOCH, s);
        redeemAs(provider, s, sig);
        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.AlreadyRedeemed.selector, s[0], provider));
        redeemAs(provider, s, sig);
    }

    function test_redeem_revertsWhen_duplicateInBatch() public {
        bytes32[] memory s = serialsOf(3, 5);
        s[2] = s[0];
        bytes memory sig = aggregate(SK, KEY_EPOCH, s);
        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.DuplicateSerial.selector, s[0]));
        redeemAs(provider, s, sig);
    }

    function test_redeem_revertsWhen_unknownEpoch() public {
        bytes32[] memory s = serialsOf(1, 6);
        bytes memory sig = aggregate(SK, 99, s);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.UnknownKeyEpoch.selector, issuer, 99));
        tickets.redeem(issuer, 99, VALUE, s, sig);
    }

    function test_redeem_revertsWhen_expired() public {
        bytes32[] memory s = serialsOf(1, 7);
        bytes memory sig = aggregate(SK, KEY_EPOCH, s);
        uint64 until = tickets.keyOf(issuer, KEY_EPOCH).expiresAt + tickets.REDEMPTION_GRACE();
        vm.warp(until + 1);
        vm.expectRevert(
            abi.encodeWithSelector(ITicketIssuer.KeyEpochExpired.selector, issuer, KEY_EPOCH, until)
        );
        redeemAs(provider, s, sig);
    }

    function test_redeem_revertsWhen_wrongValue() public {
        bytes32[] memory s = serialsOf(1, 8);
        bytes memory sig = aggregate(SK, KEY_EPOCH, s);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.WrongValue.selector, VALUE, 2 * VALUE));
        tickets.redeem(issuer, KEY_EPOCH, 2 * VALUE, s, sig);
    }

    function test_redeem_revertsWhen_batchSizeInvalid() public {
        bytes memory sig = aggregate(SK, KEY_EPOCH, serialsOf(1, 9));
        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.InvalidBatchSize.selector, 0));
        redeemAs(provider, new bytes32[](0), sig);
        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.InvalidBatchSize.selector, 257));
        redeemAs(provider, new bytes32[](257), sig);
    }

    function test_redeem_revertsWhen_pointMalformed() public {
        bytes32[] memory s = serialsOf(1, 10);
        bytes memory good = aggregate(SK, KEY_EPOCH, s);

        bytes memory nonCanonical = bytes.concat(good);
        nonCanonical[3] = 0x01; // inside the 16 zero bytes of x
        vm.expectRevert(ITicketIssuer.InvalidPointEncoding.selector);
        redeemAs(provider, s, nonCanonical);

        vm.expectRevert(ITicketIssuer.InvalidPointEncoding.selector);
        redeemAs(provider, s, new bytes(96));

        vm.expectRevert(ITicketIssuer.SignatureAtInfinity.selector);
        redeemAs(provider, s, new bytes(128));

        bytes memory offCurve = bytes.concat(good);
        offCurve[127] ^= 0x01;
        vm.expectRevert(ITicketIssuer.PointNotOnCurve.selector);
        redeemAs(provider, s, offCurve);

        vm.expectRevert(ITicketIssuer.PointNotInSubgroup.selector);
        redeemAs(provider, s, NOT_IN_SUBGROUP);
        assertEq(tickets.redeemerOf(issuer, KEY_EPOCH, s[0]), address(0), "nothing recorded");
    }

    function test_redeem_revertsWhen_stakeInsufficient() public {
        bytes memory pk = g2Mul(G2_GEN, SK);
        vm.prank(issuer);
        tickets.publishKey(KEY_EPOCH + 1, pk, 6 ether, uint64(block.timestamp + 1 days));
        bytes32[] memory s = serialsOf(2, 11);
        bytes memory sig = aggregate(SK, KEY_EPOCH + 1, s);
        vm.prank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(ITicketIssuer.IssuerStakeInsufficient.selector, 10 ether, 12 ether)
        );
        tickets.redeem(issuer, KEY_EPOCH + 1, 6 ether, s, sig);
    }

    // --- proveDoubleRedemption ---------------------------------------------------------------

    /// @dev The provider asks for an off-chain redemption of `s`, is paid with a cheque it cashes, and then
    /// redeems the same tickets on-chain as well.
    function doubleRedeem(bytes32[] memory s)
        internal
        returns (ITicketIssuer.RedemptionRequest memory req, bytes memory reqSig)
    {
        req = ITicketIssuer.RedemptionRequest({
            issuer: issuer,
            provider: provider,
            keyEpoch: KEY_EPOCH,
            serialsHash: keccak256(abi.encodePacked(s)),
            cumulativeAmount: s.length * VALUE
        });
        (uint8 v, bytes32 r, bytes32 ss) = vm.sign(providerKey, tickets.requestDigest(req));
        reqSig = abi.encodePacked(r, ss, v);

        // The issuer pays off-chain with a cheque, which the provider cashes.
        vm.deal(issuer, issuer.balance + 1 ether);
        vm.prank(issuer);
        vault.deposit{value: 1 ether}();
        _payCheque(req.cumulativeAmount);

        redeemAs(provider, s, aggregate(SK, KEY_EPOCH, s));
    }

    /// @dev The issuer signs a cheque for cumulative `amount` to the provider, and the provider cashes it.
    function _payCheque(uint256 amount) internal {
        IVault.Cheque memory c = cheque(issuer, provider, amount);
        vm.prank(provider);
        vault.cash(c, sign(issuerKey, c));
        assertEq(vault.cashed(issuer, provider), amount);
    }

    function test_proveDoubleRedemption_slashesProvider() public {
        bytes32[] memory s = serialsOf(4, 12);
        (ITicketIssuer.RedemptionRequest memory req, bytes memory reqSig) = doubleRedeem(s);
        uint256 issuerBefore = issuer.balance;

        vm.expectEmit(address(tickets));
        emit ITicketIssuer.DoubleRedemptionProven(provider, issuer, s[2], 2 * VALUE);
        uint256 slashed = tickets.proveDoubleRedemption(req, reqSig, s, 2);
        assertEq(slashed, 2 * VALUE);
        assertEq(issuer.balance - issuerBefore, 2 * VALUE);
        assertEq(registry.stakeOf(provider), MIN_STAKE - 2 * VALUE);
        assertEq(uint8(registry.relay(provider).status), uint8(IRelayRegistry.Status.Jailed));

        // The same serial cannot be proven twice.
        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.NotRedeemedOnChainBy.selector, s[2], provider));
        tickets.proveDoubleRedemption(req, reqSig, s, 2);
    }

    function test_proveDoubleRedemption_revertsWhen_proofInvalid() public {
        bytes32[] memory s = serialsOf(2, 13);
        (ITicketIssuer.RedemptionRequest memory req, bytes memory reqSig) = doubleRedeem(s);

        bytes memory forged = bytes.concat(reqSig);
        forged[5] ^= 0x01;
        vm.expectRevert(ITicketIssuer.InvalidRequestSignature.selector);
        tickets.proveDoubleRedemption(req, forged, s, 0);

        bytes32[] memory other = serialsOf(2, 14);
        vm.expectRevert(ITicketIssuer.SerialsMismatch.selector);
        tickets.proveDoubleRedemption(req, reqSig, other, 0);
        vm.expectRevert(ITicketIssuer.SerialsMismatch.selector);
        tickets.proveDoubleRedemption(req, reqSig, s, 2);

        // A request for more than the provider has cashed proves nothing: it may not have been paid.
        req.cumulativeAmount += 1;
        (uint8 v, bytes32 r, bytes32 ss) = vm.sign(providerKey, tickets.requestDigest(req));
        vm.expectRevert(
            abi.encodeWithSelector(
                ITicketIssuer.NotPaidOffChain.selector, req.cumulativeAmount - 1, req.cumulativeAmount
            )
        );
        tickets.proveDoubleRedemption(req, abi.encodePacked(r, ss, v), s, 0);
    }

    function test_proveDoubleRedemption_revertsWhen_notRedeemedOnChain() public {
        bytes32[] memory s = serialsOf(1, 15);
        ITicketIssuer.RedemptionRequest memory req = ITicketIssuer.RedemptionRequest({
            issuer: issuer,
            provider: provider,
            keyEpoch: KEY_EPOCH,
            serialsHash: keccak256(abi.encodePacked(s)),
            cumulativeAmount: VALUE
        });
        (uint8 v, bytes32 r, bytes32 ss) = vm.sign(providerKey, tickets.requestDigest(req));
        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.NotRedeemedOnChainBy.selector, s[0], provider));
        tickets.proveDoubleRedemption(req, abi.encodePacked(r, ss, v), s, 0);
    }

    // --- proveDoubleRedemptionWithReceipt -----------------------------------------------------

    /// @dev The provider asks for an off-chain redemption of `s`, is paid in lottery tickets (nothing is cashed
    /// from the Vault), acknowledges the payment with a receipt, and then redeems the tickets on-chain as well.
    function doubleRedeemPaidByTicket(bytes32[] memory s)
        internal
        returns (ITicketIssuer.RedemptionRequest memory req, bytes memory reqSig, bytes memory receiptSig)
    {
        req = ITicketIssuer.RedemptionRequest({
            issuer: issuer,
            provider: provider,
            keyEpoch: KEY_EPOCH,
            serialsHash: keccak256(abi.encodePacked(s)),
            cumulativeAmount: s.length * VALUE
        });
        reqSig = signDigest(providerKey, tickets.requestDigest(req));
        receiptSig = signDigest(providerKey, tickets.receiptDigest(issuer, provider, req.cumulativeAmount));
        redeemAs(provider, s, aggregate(SK, KEY_EPOCH, s));
    }

    function test_proveDoubleRedemptionWithReceipt_slashesProvider() public {
        bytes32[] memory s = serialsOf(3, 16);
        (ITicketIssuer.RedemptionRequest memory req, bytes memory reqSig, bytes memory receiptSig) =
            doubleRedeemPaidByTicket(s);
        assertEq(vault.cashed(issuer, provider), 0);
        // Without a cashed cheque, the cheque proof fails: the receipt is what shows the payment.
        vm.expectRevert(
            abi.encodeWithSelector(ITicketIssuer.NotPaidOffChain.selector, 0, req.cumulativeAmount)
        );
        tickets.proveDoubleRedemption(req, reqSig, s, 1);

        uint256 issuerBefore = issuer.balance;
        vm.expectEmit(address(tickets));
        emit ITicketIssuer.DoubleRedemptionProven(provider, issuer, s[1], 2 * VALUE);
        uint256 slashed =
            tickets.proveDoubleRedemptionWithReceipt(req, reqSig, s, 1, req.cumulativeAmount, receiptSig);
        assertEq(slashed, 2 * VALUE);
        assertEq(issuer.balance - issuerBefore, 2 * VALUE);
        assertEq(uint8(registry.relay(provider).status), uint8(IRelayRegistry.Status.Jailed));

        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.NotRedeemedOnChainBy.selector, s[1], provider));
        tickets.proveDoubleRedemptionWithReceipt(req, reqSig, s, 1, req.cumulativeAmount, receiptSig);
    }

    function test_proveDoubleRedemptionWithReceipt_revertsWhen_receiptInvalid() public {
        bytes32[] memory s = serialsOf(2, 17);
        (ITicketIssuer.RedemptionRequest memory req, bytes memory reqSig, bytes memory receiptSig) =
            doubleRedeemPaidByTicket(s);
        uint256 amount = req.cumulativeAmount;

        // A receipt for another value than it was signed for, or signed by someone else, or forged.
        vm.expectRevert(ITicketIssuer.InvalidReceiptSignature.selector);
        tickets.proveDoubleRedemptionWithReceipt(req, reqSig, s, 0, amount + 1, receiptSig);
        bytes memory byIssuer = signDigest(issuerKey, tickets.receiptDigest(issuer, provider, amount));
        vm.expectRevert(ITicketIssuer.InvalidReceiptSignature.selector);
        tickets.proveDoubleRedemptionWithReceipt(req, reqSig, s, 0, amount, byIssuer);
        bytes memory forged = bytes.concat(receiptSig);
        forged[7] ^= 0x01;
        vm.expectRevert(ITicketIssuer.InvalidReceiptSignature.selector);
        tickets.proveDoubleRedemptionWithReceipt(req, reqSig, s, 0, amount, forged);
        // A receipt of another issuer's payments proves nothing about this one's.
        bytes memory otherIssuer =
            signDigest(providerKey, tickets.receiptDigest(address(0xBEEF), provider, amount));
        vm.expectRevert(ITicketIssuer.InvalidReceiptSignature.selector);
        tickets.proveDoubleRedemptionWithReceipt(req, reqSig, s, 0, amount, otherIssuer);

        // A receipt for less than the request asked: the request may not have been paid.
        bytes memory low = signDigest(providerKey, tickets.receiptDigest(issuer, provider, amount - 1));
        vm.expectRevert(abi.encodeWithSelector(ITicketIssuer.ReceiptTooLow.selector, amount - 1, amount));
        tickets.proveDoubleRedemptionWithReceipt(req, reqSig, s, 0, amount - 1, low);

        // The request's own checks hold as for the cheque proof.
        bytes32[] memory other = serialsOf(2, 18);
        vm.expectRevert(ITicketIssuer.SerialsMismatch.selector);
        tickets.proveDoubleRedemptionWithReceipt(req, reqSig, other, 0, amount, receiptSig);
        vm.expectRevert(ITicketIssuer.InvalidRequestSignature.selector);
        tickets.proveDoubleRedemptionWithReceipt(req, receiptSig, s, 0, amount, receiptSig);
    }

    function testFuzz_proveDoubleRedemptionWithReceipt_onlyWithAReceiptCoveringTheRequest(uint256 receipted)
        public
    {
        bytes32[] memory s = serialsOf(2, 19);
        (ITicketIssuer.RedemptionRequest memory req, bytes memory reqSig,) = doubleRedeemPaidByTicket(s);
        bytes memory sig = signDigest(providerKey, tickets.receiptDigest(issuer, provider, receipted));
        if (receipted < req.cumulativeAmount) {
            vm.expectRevert(
                abi.encodeWithSelector(ITicketIssuer.ReceiptTooLow.selector, receipted, req.cumulativeAmount)
            );
            tickets.proveDoubleRedemptionWithReceipt(req, reqSig, s, 0, receipted, sig);
        } else {
            assertEq(tickets.proveDoubleRedemptionWithReceipt(req, reqSig, s, 0, receipted, sig), 2 * VALUE);
        }
    }

    // --- gas ---------------------------------------------------------------------------------

    function test_gas_redeemOne() public {
        bytes32[] memory s = serialsOf(1, 100);
        bytes memory sig = aggregate(SK, KEY_EPOCH, s);
        redeemAs(provider, s, sig);
        vm.snapshotGasLastCall("TicketIssuer", "redeem_1");
    }

    function test_gas_proveDoubleRedemption() public {
        bytes32[] memory s = serialsOf(3, 102);
        (ITicketIssuer.RedemptionRequest memory req, bytes memory reqSig) = doubleRedeem(s);
        tickets.proveDoubleRedemption(req, reqSig, s, 0);
        vm.snapshotGasLastCall("TicketIssuer", "prove_double_redemption_cheque");
    }

    function test_gas_proveDoubleRedemptionWithReceipt() public {
        bytes32[] memory s = serialsOf(3, 103);
        (ITicketIssuer.RedemptionRequest memory req, bytes memory reqSig, bytes memory receiptSig) =
            doubleRedeemPaidByTicket(s);
        tickets.proveDoubleRedemptionWithReceipt(req, reqSig, s, 0, req.cumulativeAmount, receiptSig);
        vm.snapshotGasLastCall("TicketIssuer", "prove_double_redemption_receipt");
    }

    function test_gas_redeemBatch100() public {
        bytes32[] memory s = serialsOf(100, 101);
        bytes memory sig = aggregate(SK, KEY_EPOCH, s);
        redeemAs(provider, s, sig);
        uint256 gas = vm.snapshotGasLastCall("TicketIssuer", "redeem_100");
        vm.snapshotValue("TicketIssuer", "redeem_100_per_ticket", gas / 100);
    }
}
