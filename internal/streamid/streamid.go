// Package streamid is the identifier of a stream entry: two unsigned 64-bit
// numbers, milliseconds and sequence, written "ms-seq". It parses IDs
// exactly as Redis 7.0 does (including the leniency its fallback to C's
// strtoull gives: leading blanks, a '+' sign, leading zeros), orders them,
// and steps them by one.
package streamid

import (
	"math"
	"strconv"
)

// ID is a stream entry ID. The zero value is 0-0, which no entry can have.
type ID struct {
	Ms, Seq uint64
}

// Max is the largest ID, what "+" stands for.
var Max = ID{math.MaxUint64, math.MaxUint64}

// Compare returns -1, 0 or +1 as a is less than, equal to or greater than b.
func (a ID) Compare(b ID) int {
	switch {
	case a.Ms < b.Ms:
		return -1
	case a.Ms > b.Ms:
		return 1
	case a.Seq < b.Seq:
		return -1
	case a.Seq > b.Seq:
		return 1
	}
	return 0
}

// Less reports whether a sorts before b.
func (a ID) Less(b ID) bool { return a.Ms < b.Ms || (a.Ms == b.Ms && a.Seq < b.Seq) }

// IsZero reports whether a is 0-0.
func (a ID) IsZero() bool { return a.Ms == 0 && a.Seq == 0 }

// String formats the ID as Redis does: "ms-seq" in decimal.
func (a ID) String() string {
	var buf [41]byte
	b := strconv.AppendUint(buf[:0], a.Ms, 10)
	b = append(b, '-')
	b = strconv.AppendUint(b, a.Seq, 10)
	return string(b)
}

// Next returns the smallest ID greater than a; ok is false for Max.
func (a ID) Next() (ID, bool) {
	switch {
	case a.Seq < math.MaxUint64:
		return ID{a.Ms, a.Seq + 1}, true
	case a.Ms < math.MaxUint64:
		return ID{a.Ms + 1, 0}, true
	}
	return a, false
}

// Prev returns the largest ID smaller than a; ok is false for 0-0.
func (a ID) Prev() (ID, bool) {
	switch {
	case a.Seq > 0:
		return ID{a.Ms, a.Seq - 1}, true
	case a.Ms > 0:
		return ID{a.Ms - 1, math.MaxUint64}, true
	}
	return a, false
}

// Parse parses an ID argument as Redis's streamGenericParseIDOrReply does.
// A missing sequence ("5") takes missingSeq. Unless strict, "-" is 0-0 and
// "+" is Max. When seqGiven is not nil, the form "ms-*" is accepted and
// reported with *seqGiven false (the sequence is then 0 and left for the
// caller to choose); every other form sets *seqGiven true.
func Parse(s string, missingSeq uint64, strict bool, seqGiven *bool) (ID, bool) {
	// Redis copies the argument into a 128-byte buffer first.
	if len(s) > 127 {
		return ID{}, false
	}
	if seqGiven != nil {
		*seqGiven = true
	}
	if s == "-" || s == "+" {
		if strict {
			return ID{}, false
		}
		if s == "-" {
			return ID{}, true
		}
		return Max, true
	}
	msPart, seqPart, hasSeq := s, "", false
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			msPart, seqPart, hasSeq = s[:i], s[i+1:], true
			break
		}
	}
	ms, ok := parseUint(msPart)
	if !ok {
		return ID{}, false
	}
	if !hasSeq {
		return ID{ms, missingSeq}, true
	}
	if seqGiven != nil && seqPart == "*" {
		*seqGiven = false
		return ID{ms, 0}, true
	}
	seq, ok := parseUint(seqPart)
	if !ok {
		return ID{}, false
	}
	return ID{ms, seq}, true
}

// parseUint is Redis's string2ull: a strict integer first (string2ll, no
// sign, no leading zeros, not negative), and failing that C's strtoull in
// base 10, which skips leading white space, takes an optional sign (a '-'
// negates modulo 2^64) and leading zeros, and fails on overflow or on
// anything after the digits.
func parseUint(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i == len(s) {
		return 0, false
	}
	// A strictly formatted negative number ("-5") is string2ll's success
	// and string2ull's explicit refusal; strtoull is never consulted.
	if neg && s[0] == '-' && s[1] >= '1' && s[1] <= '9' && strictDigits(s[1:]) {
		return 0, false
	}
	var v uint64
	for ; i < len(s); i++ {
		d := s[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-uint64(d-'0'))/10 {
			return 0, false // ERANGE
		}
		v = v*10 + uint64(d-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// strictDigits reports whether s is all digits and fits string2ll (so that
// "-<s>" would be parsed by it as a negative number).
func strictDigits(s string) bool {
	if len(s) == 0 || len(s) > 19 {
		return false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		v = v*10 + uint64(s[i]-'0')
	}
	return v <= 1<<63
}

func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f'
}
