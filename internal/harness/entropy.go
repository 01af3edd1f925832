package harness

import (
	"fmt"
	"math"
	"strings"
)

// alphabets are the character sets codes and tokens are usually drawn from,
// smallest first; a sample is credited with the smallest one that holds
// every character it uses.
var alphabets = []struct {
	name  string
	chars string
}{
	{"digits", "0123456789"},
	{"lowercase hex", "0123456789abcdef"},
	{"uppercase hex", "0123456789ABCDEF"},
	{"lowercase alphanumeric", "0123456789abcdefghijklmnopqrstuvwxyz"},
	{"uppercase alphanumeric", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
	{"alphanumeric", "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"},
	{"base64url", "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"},
	{"base64", "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/="},
}

// EstimateEntropy estimates the bits of randomness in values drawn from the
// same generator (RFC 6749 §10.10 asks for at least 128): each character
// position that varies across the sample is credited log2 of the alphabet
// size; positions that never vary (a prefix, a fixed separator, a counter's
// high digits) get nothing. A repeated value means none at all. It is an
// upper bound for structured values (a JWT's header, a timestamp) and
// cannot see a weak generator that uses every position — a sample can
// refute high entropy, not prove it.
func EstimateEntropy(values []string) (float64, string) {
	if len(values) < 2 {
		return 0, "need at least two values"
	}
	seen := map[string]bool{}
	minLen := math.MaxInt
	used := map[rune]bool{}
	for _, v := range values {
		if seen[v] {
			return 0, "a value repeated within the sample"
		}
		seen[v] = true
		minLen = min(minLen, len(v))
		for _, r := range v {
			used[r] = true
		}
	}
	name, size := "printable ASCII", 95
	for _, a := range alphabets {
		if holdsAll(a.chars, used) {
			name, size = a.name, len(a.chars)
			break
		}
	}
	varying := 0
	for i := 0; i < minLen; i++ {
		for _, v := range values[1:] {
			if v[i] != values[0][i] {
				varying++
				break
			}
		}
	}
	bits := float64(varying) * math.Log2(float64(size))
	return bits, fmt.Sprintf("%d of %d positions vary, %s alphabet (%d symbols, %.1f bits each)",
		varying, minLen, name, size, math.Log2(float64(size)))
}

func holdsAll(chars string, used map[rune]bool) bool {
	for r := range used {
		if !strings.ContainsRune(chars, r) {
			return false
		}
	}
	return true
}
