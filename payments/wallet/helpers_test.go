package wallet_test

import (
	"crypto/sha256"
	"encoding/base64"
)

func base64Decode(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

func base64Encode(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func checksum(b []byte) []byte {
	sum := sha256.Sum256(b)
	return sum[:4]
}
