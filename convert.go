package embedis

import (
	"fmt"
	"iter"
	"strconv"
)

// Conversions from replies to the Go results of typed methods. Each takes
// the (Value, error) pair of exec so a typed method is one line.

// asString returns a bulk or status reply's text, Nil for the nil reply.
func asString(v Value, err error) (string, error) {
	if err != nil {
		return "", err
	}
	switch v.kind {
	case KindError:
		return "", v.Err()
	case KindNull, KindNullArray:
		return "", Nil
	}
	return v.Str(), nil
}

// asInt returns an integer reply, Nil for the nil reply.
func asInt(v Value, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	switch v.kind {
	case KindError:
		return 0, v.Err()
	case KindNull, KindNullArray:
		return 0, Nil
	}
	return v.num, nil
}

// asBool returns true for an integer reply of 1 (or a true boolean, or OK),
// false for 0 and for the nil reply.
func asBool(v Value, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	switch v.kind {
	case KindError:
		return false, v.Err()
	case KindNull, KindNullArray:
		return false, nil
	case KindSimple:
		return true, nil
	}
	return v.num != 0, nil
}

// asFloat returns a double reply, or a bulk reply parsed as a double.
func asFloat(v Value, err error) (float64, error) {
	if err != nil {
		return 0, err
	}
	switch v.kind {
	case KindError:
		return 0, v.Err()
	case KindNull, KindNullArray:
		return 0, Nil
	case KindDouble:
		return v.dbl, nil
	case KindInt:
		return float64(v.num), nil
	}
	f, ok := parseFloat(v.str)
	if !ok {
		return 0, ErrNotFloat
	}
	return f, nil
}

// asOK returns nil for a status reply, Nil for the nil reply.
func asOK(v Value, err error) error {
	if err != nil {
		return err
	}
	switch v.kind {
	case KindError:
		return v.Err()
	case KindNull, KindNullArray:
		return Nil
	}
	return nil
}

// asStrings returns the elements of an array reply as strings (a nil
// element becomes "").
func asStrings(v Value, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	switch v.kind {
	case KindError:
		return nil, v.Err()
	case KindNull, KindNullArray:
		return nil, Nil
	}
	out := make([]string, len(v.elems))
	for i, e := range v.elems {
		out[i] = e.Str()
	}
	return out, nil
}

// asOptStrings returns an array reply whose elements may be nil, as
// pointers: nil where Redis replied nil (MGET of a missing key).
func asOptStrings(v Value, err error) ([]*string, error) {
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]*string, len(v.elems))
	for i, e := range v.elems {
		if !e.IsNull() {
			s := e.Str()
			out[i] = &s
		}
	}
	return out, nil
}

// asScanPage splits a SCAN-family reply ([cursor, items]) into the next
// cursor and the items array.
func asScanPage(v Value, err error) (items Value, next uint64, _ error) {
	if err != nil {
		return Value{}, 0, err
	}
	if v.kind == KindError {
		return Value{}, 0, v.Err()
	}
	if v.kind != KindArray || len(v.elems) != 2 {
		return Value{}, 0, fmt.Errorf("embedis: malformed scan reply %s", v)
	}
	next, perr := strconv.ParseUint(v.elems[0].Str(), 10, 64)
	if perr != nil {
		return Value{}, 0, fmt.Errorf("embedis: malformed scan cursor %q", v.elems[0].Str())
	}
	return v.elems[1], next, nil
}

// scanSeq iterates over every item of a SCAN-family iteration, page by
// page: page fetches the items after cursor and the next cursor (0 ends).
// The first error is yielded once and ends the iteration. The SCAN, SSCAN,
// HSCAN and ZSCAN iterators are this loop with their own page.
func scanSeq[T any](page func(cursor uint64) ([]T, uint64, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var cursor uint64
		for {
			items, next, err := page(cursor)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if next == 0 {
				return
			}
			cursor = next
		}
	}
}
