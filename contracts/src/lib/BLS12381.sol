// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title BLS12381
/// @notice BLS12-381 over the EIP-2537 precompiles: RFC 9380 hash-to-G1 (BLS12381G1_XMD:SHA-256_SSWU_RO_),
/// G1 addition, point checks and the pairing check that verifies a BLS signature with the signature in G1
/// and the key in G2.
/// @dev Points use the EIP-2537 encoding: a G1 point is 128 bytes (x, y as 64-byte big-endian words whose top
/// 16 bytes are zero); a G2 point is 256 bytes (x.c0, x.c1, y.c0, y.c1). Infinity is all zeros.
library BLS12381 {
    address private constant G1ADD = address(0x0b);
    address private constant G2MSM = address(0x0e);
    address private constant PAIRING = address(0x0f);
    address private constant MAP_FP_TO_G1 = address(0x10);
    address private constant MODEXP = address(0x05);

    /// @dev The base field modulus p, 48 bytes.
    bytes private constant P =
        hex"1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";

    /// @dev −G2 generator: e(σ, −g2)·e(H, pk) == 1 checks e(σ, g2) == e(H, pk) in one precompile call.
    bytes private constant NEG_G2 =
        hex"00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb80000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e000000000000000000000000000000000d1b3cc2c7027888be51d9ef691d77bcb679afda66c73f17f9ee3837a55024f78c71363275a75d75d86bab79f74782aa0000000000000000000000000000000013fa4d4a0ad8b1ce186ed5061789213d993923066dddaf1040bc3ff59f825c78df74f2d75467e25e0f55f8a00fa030ed";

    /// @notice The precompile at `precompile` refused its input.
    error PrecompileFailed(address precompile);
    /// @notice A domain-separation tag longer than 255 bytes.
    error DSTTooLong();

    /// @notice Sums hash-to-G1 of many 32-byte messages under one tag. One buffer is laid out once (running
    /// sum, precompile inputs, the tag already in place) and reused for every message, so a batch allocates
    /// nothing per message; this is what keeps on-chain batch redemption cheap.
    /// @dev Buffer layout at `mem` (offsets in bytes):
    /// 0 sum (128) | 128 mapped point (128)  — together the 256-byte G1ADD input
    /// 256 field element as MAP_FP_TO_G1 input: 16 zero bytes + 48
    /// 320 MODEXP input: sizes 64, 1, 48 (3 words) | base (64) | exponent 0x01 | p (48)
    /// 576 block input: 32-byte chaining value | counter byte | DST'
    /// mp  b0 input: 64 zero bytes | message (32) | 0x0080 | 0x00 | DST'
    /// out 32-byte SHA-256 output
    struct Hasher {
        uint256 mem;
        uint256 blockLen;
        uint256 mpOff;
        uint256 mpLen;
        uint256 outOff;
    }

    /// @notice A hasher for tag `dst`, its sum at infinity.
    function newHasher(bytes memory dst) internal pure returns (Hasher memory h) {
        uint256 dl = dst.length;
        if (dl > 255) revert DSTTooLong();
        h.blockLen = 33 + dl + 1;
        h.mpOff = 576 + ((h.blockLen + 31) / 32) * 32;
        h.mpLen = 99 + dl + 1;
        h.outOff = h.mpOff + ((h.mpLen + 31) / 32) * 32;
        uint256 total = h.outOff + 32;
        uint256 m;
        assembly ("memory-safe") {
            m := mload(0x40)
            mstore(0x40, add(m, total))
            calldatacopy(m, calldatasize(), total) // zero the whole buffer
            let mm := add(m, 320)
            mstore(mm, 64)
            mstore(add(mm, 32), 1)
            mstore(add(mm, 64), 48)
            mstore8(add(mm, 160), 1)
            mstore(add(mm, 161), 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f624)
            mstore(add(mm, 193), shl(128, 0x1eabfffeb153ffffb9feffffffffaaab))
            let b := add(m, 576)
            mcopy(add(b, 33), add(dst, 32), dl)
            mstore8(add(b, add(33, dl)), dl)
            let mp := add(m, mload(add(h, 64)))
            mstore8(add(mp, 97), 0x80)
            mcopy(add(mp, 99), add(dst, 32), dl)
            mstore8(add(mp, add(99, dl)), dl)
        }
        h.mem = m;
    }

    /// @notice Adds H(message) to the hasher's sum.
    function add(Hasher memory h, bytes32 message) internal view {
        uint256 m = h.mem;
        uint256 blockLen = h.blockLen;
        uint256 mp = m + h.mpOff;
        uint256 mpLen = h.mpLen;
        uint256 out = m + h.outOff;
        bool ok;
        assembly ("memory-safe") {
            mstore(add(mp, 64), message)
            ok := staticcall(gas(), 0x02, mp, mpLen, out, 32)
            let b0 := mload(out)
            let b := add(m, 576)
            // b_1 = H(b_0 ‖ 1 ‖ DST'), b_i = H((b_0 xor b_(i-1)) ‖ i ‖ DST')
            mstore(b, b0)
            mstore8(add(b, 32), 1)
            ok := and(ok, staticcall(gas(), 0x02, b, blockLen, out, 32))
            let b1 := mload(out)
            mstore(b, xor(b0, b1))
            mstore8(add(b, 32), 2)
            ok := and(ok, staticcall(gas(), 0x02, b, blockLen, out, 32))
            let b2 := mload(out)
            mstore(b, xor(b0, b2))
            mstore8(add(b, 32), 3)
            ok := and(ok, staticcall(gas(), 0x02, b, blockLen, out, 32))
            let b3 := mload(out)
            mstore(b, xor(b0, b3))
            mstore8(add(b, 32), 4)
            ok := and(ok, staticcall(gas(), 0x02, b, blockLen, out, 32))
            let b4 := mload(out)
            // u_0 = (b_1 ‖ b_2) mod p, mapped to G1 and added to the sum; then u_1 = (b_3 ‖ b_4) mod p.
            let mm := add(m, 320)
            mstore(add(mm, 96), b1)
            mstore(add(mm, 128), b2)
            ok := and(ok, staticcall(gas(), 0x05, mm, 209, add(m, 272), 48))
            ok := and(ok, staticcall(gas(), 0x10, add(m, 256), 64, add(m, 128), 128))
            ok := and(ok, staticcall(gas(), 0x0b, m, 256, m, 128))
            mstore(add(mm, 96), b3)
            mstore(add(mm, 128), b4)
            ok := and(ok, staticcall(gas(), 0x05, mm, 209, add(m, 272), 48))
            ok := and(ok, staticcall(gas(), 0x10, add(m, 256), 64, add(m, 128), 128))
            ok := and(ok, staticcall(gas(), 0x0b, m, 256, m, 128))
        }
        if (!ok) revert PrecompileFailed(address(0x10));
    }

    /// @notice The sum so far, as a 128-byte G1 point.
    function sum(Hasher memory h) internal pure returns (bytes memory point) {
        point = new bytes(128);
        uint256 m = h.mem;
        assembly ("memory-safe") {
            mcopy(add(point, 32), m, 128)
        }
    }

    /// @notice RFC 9380 hash_to_curve into G1 with expand_message_xmd over SHA-256.
    /// @param dst The domain-separation tag, at most 255 bytes.
    function hashToG1(bytes memory dst, bytes memory message) internal view returns (bytes memory) {
        (bytes32 b1, bytes32 b2, bytes32 b3, bytes32 b4) = _expand(dst, message);
        bytes memory q0 = _call(MAP_FP_TO_G1, _reduce(b1, b2), 128);
        bytes memory q1 = _call(MAP_FP_TO_G1, _reduce(b3, b4), 128);
        return g1Add(q0, q1);
    }

    /// @notice p + q in G1. Reverts with PrecompileFailed when either point is not on the curve.
    function g1Add(bytes memory p, bytes memory q) internal view returns (bytes memory) {
        return _call(G1ADD, abi.encodePacked(p, q), 128);
    }

    /// @notice Whether every 64-byte coordinate word of `point` has its top 16 bytes zero and the field
    /// element below p, as EIP-2537 requires. `point` must be 128 (G1) or 256 (G2) bytes.
    function isCanonical(bytes memory point) internal pure returns (bool) {
        uint256 words = point.length / 64;
        if (point.length % 64 != 0 || (words != 2 && words != 4)) return false;
        for (uint256 i; i < words; ++i) {
            bytes16 top;
            bytes32 hi; // bytes 16..47 of the word
            bytes32 lo; // bytes 32..63 of the word
            assembly ("memory-safe") {
                let w := add(add(point, 32), mul(i, 64))
                top := mload(w)
                hi := mload(add(w, 16))
                lo := mload(add(w, 32))
            }
            if (top != bytes16(0)) return false;
            // Compare the 48-byte element with p: high 32 bytes, then the low 16.
            uint256 h = uint256(hi);
            uint256 pHigh = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f624;
            if (h > pHigh) return false;
            if (h == pHigh && uint128(uint256(lo)) >= 0x1eabfffeb153ffffb9feffffffffaaab) return false;
        }
        return true;
    }

    /// @notice Whether `point` is the point at infinity (all zeros).
    function isInfinity(bytes memory point) internal pure returns (bool) {
        for (uint256 i; i < point.length; i += 32) {
            bytes32 w;
            assembly ("memory-safe") {
                w := mload(add(add(point, 32), i))
            }
            if (w != bytes32(0)) return false;
        }
        return true;
    }

    /// @notice Whether the G1 point `p` is on the curve (G1ADD checks this, not the subgroup).
    function isOnCurveG1(bytes memory p) internal view returns (bool) {
        (bool ok,) = G1ADD.staticcall(abi.encodePacked(p, new bytes(128)));
        return ok;
    }

    /// @notice Whether the G2 point `p` is on the curve and in the prime-order subgroup (G2MSM checks both).
    function isInSubgroupG2(bytes memory p) internal view returns (bool) {
        (bool ok,) = G2MSM.staticcall(abi.encodePacked(p, uint256(1)));
        return ok;
    }

    /// @notice Checks e(signature, g2) == e(hashPoint, publicKey).
    /// @return ok Whether the pairing equation holds.
    /// @return valid False when the precompile refused a point (not in the subgroup, not on the curve).
    function verify(bytes memory signature, bytes memory hashPoint, bytes memory publicKey)
        internal
        view
        returns (bool ok, bool valid)
    {
        (bool success, bytes memory out) =
            PAIRING.staticcall(abi.encodePacked(signature, NEG_G2, hashPoint, publicKey));
        if (!success || out.length != 32) return (false, false);
        return (abi.decode(out, (uint256)) == 1, true);
    }

    /// @dev expand_message_xmd(message, dst, 128) with SHA-256: four 32-byte blocks.
    function _expand(bytes memory dst, bytes memory message)
        private
        view
        returns (bytes32 b1, bytes32 b2, bytes32 b3, bytes32 b4)
    {
        bytes memory dstPrime = abi.encodePacked(dst, uint8(dst.length));
        // Z_pad (64 zero bytes) ‖ msg ‖ I2OSP(128, 2) ‖ I2OSP(0, 1) ‖ DST'
        bytes32 b0 =
            sha256(abi.encodePacked(bytes32(0), bytes32(0), message, uint16(128), uint8(0), dstPrime));
        b1 = sha256(abi.encodePacked(b0, uint8(1), dstPrime));
        b2 = sha256(abi.encodePacked(b0 ^ b1, uint8(2), dstPrime));
        b3 = sha256(abi.encodePacked(b0 ^ b2, uint8(3), dstPrime));
        b4 = sha256(abi.encodePacked(b0 ^ b3, uint8(4), dstPrime));
    }

    /// @dev (hi ‖ lo) mod p through the MODEXP precompile (exponent 1), as a 64-byte EIP-2537 field element.
    function _reduce(bytes32 hi, bytes32 lo) private view returns (bytes memory) {
        bytes memory out =
            _call(MODEXP, abi.encodePacked(uint256(64), uint256(1), uint256(48), hi, lo, uint8(1), P), 48);
        return abi.encodePacked(bytes16(0), out);
    }

    function _call(address precompile, bytes memory input, uint256 outLength)
        private
        view
        returns (bytes memory out)
    {
        bool ok;
        (ok, out) = precompile.staticcall(input);
        if (!ok || out.length != outLength) revert PrecompileFailed(precompile);
    }
}
