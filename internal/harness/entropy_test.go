package harness

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"testing"
)

// Known generators and what they carry: the estimate from a sample of 16
// must not credit more than the generator has, and must see 128 bits where
// they are.
func TestEstimateEntropyOfKnownGenerators(t *testing.T) {
	random := func(n int) []byte {
		b := make([]byte, n)
		_, _ = rand.Read(b)
		return b
	}
	uuid4 := func() string {
		b := random(16)
		b[6] = b[6]&0x0f | 0x40 // version 4
		b[8] = b[8]&0x3f | 0x80 // variant 10
		h := hex.EncodeToString(b)
		return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	}
	seq := uint32(0)
	cases := []struct {
		name     string
		gen      func() string
		min, max float64
	}{
		// 32 hex digits, one fixed (the version), one of 4 values (the variant): 122 bits.
		{"UUIDv4", uuid4, 116, 122},
		{"hex of 32 bytes", func() string { return hex.EncodeToString(random(32)) }, 250, 256},
		{"hex of 16 bytes", func() string { return hex.EncodeToString(random(16)) }, 124, 128},
		// Dashes at fixed places carry nothing; each hex digit 4 bits.
		{"dashed hex of 16 bytes", func() string {
			h := hex.EncodeToString(random(16))
			return h[:8] + "-" + h[8:16] + "-" + h[16:24] + "-" + h[24:]
		}, 124, 128},
		// 43 characters; the last carries 4 bits, credited 6: a 2-bit upper bound.
		{"base64url of 32 bytes", func() string { return base64.RawURLEncoding.EncodeToString(random(32)) }, 250, 258},
		{"base64url of 12 bytes", func() string { return base64.RawURLEncoding.EncodeToString(random(12)) }, 90, 96},
		{"prefixed hex", func() string { return "ac_" + hex.EncodeToString(random(16)) }, 124, 128},
		{"counter through a hash", func() string { seq++; return fmt.Sprintf("%08x", seq*2654435761) }, 0, 32},
	}
	for _, c := range cases {
		sample := make([]string, 16)
		for i := range sample {
			sample[i] = c.gen()
		}
		bits, how := EstimateEntropy(sample)
		if bits < c.min || bits > c.max {
			t.Errorf("%s: %.1f bits (%s), want %.0f..%.0f", c.name, bits, how, c.min, c.max)
		}
	}
}

func TestUUIDv4IsBelow128Bits(t *testing.T) {
	// Sixteen fixed UUIDv4 values (as a provider issuing them would): below RFC 6749 §10.10's 128.
	sample := []string{
		"3f1c2a9e-7b4d-4e1a-9c2b-5d6e7f8a9b0c", "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d",
		"5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "c1d2e3f4-a5b6-4c7d-b8e9-f0a1b2c3d4e5",
		"0f1e2d3c-4b5a-4968-8776-655443322110", "98765432-10fe-4dcb-a987-6543210fedcb",
		"1a2b3c4d-5e6f-4a7b-9c8d-0e1f2a3b4c5d", "d4c3b2a1-f6e5-4b7a-ad9c-1f0e3d2c5b4a",
		"7e8d9cab-0b1a-4f2e-8d3c-4b5a69788796", "2b3c4d5e-6f7a-48b9-bcad-ef0123456789",
		"e5f6a7b8-c9d0-4e1f-9a2b-3c4d5e6f7a8b", "4d5e6f70-8192-4a3b-8c5d-7e9fa0b1c2d3",
		"b8a79685-7463-4524-b130-2f1e0d9c8b7a", "6c7d8e9f-a0b1-4c2d-9e3f-4a5b6c7d8e9f",
		"f0e1d2c3-b4a5-4968-a766-554433221100", "8899aabb-ccdd-4eef-8011-223344556677",
	}
	bits, how := EstimateEntropy(sample)
	if bits >= 128 || bits < 100 {
		t.Errorf("UUIDv4: %.1f bits (%s), want below 128 (122 at most)", bits, how)
	}
}
