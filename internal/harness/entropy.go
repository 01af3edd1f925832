package harness

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
)

// alphabets are the character sets codes and tokens are usually drawn from,
// smallest first; the varying positions of a sample are credited with the
// smallest one that holds every character seen at them.
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
// same generator (RFC 6749 §10.10 asks that guessing succeed with
// probability at most 2^-128). Positions that never vary across the sample
// (a prefix, a separator, a UUID's version digit, a counter's high digits)
// get nothing, and the alphabet is read from the varying positions alone,
// so dashes at fixed places do not turn hex into base64url. Each varying
// position is credited log2 of the alphabet's size, unless the sample
// shows it far less varied than a uniform draw from that alphabet would
// be (a UUID's variant digit takes 4 values): then log2 of the smallest
// power of two that holds the values seen. A UUIDv4 comes out at 122 bits.
// A repeated value means none at all. It is an upper bound for structured
// values (a JWT's header, a timestamp) and cannot see a weak generator that
// uses every position — a sample can refute high entropy, not prove it.
func EstimateEntropy(values []string) (float64, string) {
	if len(values) < 2 {
		return 0, "need at least two values"
	}
	seen := map[string]bool{}
	minLen := math.MaxInt
	for _, v := range values {
		if seen[v] {
			return 0, "a value repeated within the sample"
		}
		seen[v] = true
		minLen = min(minLen, len(v))
	}
	// The characters each position takes.
	perPos := make([]map[byte]bool, minLen)
	used := map[rune]bool{}
	varying := 0
	for i := range minLen {
		perPos[i] = map[byte]bool{}
		for _, v := range values {
			perPos[i][v[i]] = true
		}
		if len(perPos[i]) > 1 {
			varying++
			for c := range perPos[i] {
				used[rune(c)] = true
			}
		}
	}
	name, size := "printable ASCII", 95
	for _, a := range alphabets {
		if holdsAll(a.chars, used) {
			name, size = a.name, len(a.chars)
			break
		}
	}
	full := math.Log2(float64(size))
	// A uniform draw of n values from size symbols shows about this many distinct ones.
	n := float64(len(values))
	expected := float64(size) * (1 - math.Pow(1-1/float64(size), n))
	total, narrow := 0.0, 0
	for i := range minLen {
		d := len(perPos[i])
		switch {
		case d < 2:
		case float64(d) < expected/2:
			narrow++
			total += float64(bits.Len(uint(d - 1))) // log2 of the next power of two ≥ d
		default:
			total += full
		}
	}
	how := fmt.Sprintf("%d of %d positions vary, %s alphabet (%d symbols, %.1f bits each)", varying, minLen, name, size, full)
	if narrow > 0 {
		how += fmt.Sprintf("; %d of them take only a few values (credited for those alone)", narrow)
	}
	return total, how
}

func holdsAll(chars string, used map[rune]bool) bool {
	for r := range used {
		if !strings.ContainsRune(chars, r) {
			return false
		}
	}
	return true
}
