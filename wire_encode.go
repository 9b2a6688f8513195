package embedis

import "github.com/embedis/embedis/internal/resp"

// appendReply encodes v in RESP2 (proto 2) or RESP3 (proto 3), as Redis 7.0
// writes each kind of reply in each protocol:
//
//	kind        RESP2                     RESP3
//	null        $-1                       _
//	null array  *-1                       _
//	double      bulk "%.17g", "inf"       ,1.5  ,inf  ,-inf
//	map         flat array of 2n          %n
//	set         array                     ~n
//	boolean     :1 / :0                   #t / #f
//	verbatim    bulk of the text          =len txt:...
//	big number  bulk of the digits        (digits
//	push        array                     >n
func appendReply(b []byte, v Value, proto int) []byte {
	resp3 := proto >= 3
	switch v.kind {
	case KindNull:
		if resp3 {
			return resp.AppendNull(b)
		}
		return resp.AppendNullBulk(b)
	case KindNullArray:
		if resp3 {
			return resp.AppendNull(b)
		}
		return resp.AppendNullArray(b)
	case KindSimple:
		return resp.AppendSimple(b, v.str)
	case KindError:
		return resp.AppendError(b, v.str)
	case KindInt:
		return resp.AppendInt(b, v.num)
	case KindDouble:
		// v.Str() is formatDouble(v.dbl) unless the double carries its
		// own text (geo coordinates, which Redis prints differently).
		if resp3 {
			return resp.AppendDouble(b, v.Str())
		}
		return resp.AppendBulk(b, v.Str())
	case KindBulk:
		return resp.AppendBulk(b, v.str)
	case KindBool:
		if resp3 {
			return resp.AppendBool(b, v.num != 0)
		}
		return resp.AppendInt(b, v.num)
	case KindVerbatim:
		if resp3 {
			return resp.AppendVerbatim(b, v.str)
		}
		return resp.AppendBulk(b, v.Str())
	case KindBigNumber:
		if resp3 {
			return resp.AppendBigNumber(b, v.str)
		}
		return resp.AppendBulk(b, v.str)
	case KindMap:
		if resp3 {
			b = resp.AppendHeader(b, '%', int64(len(v.elems)/2))
		} else {
			b = resp.AppendHeader(b, '*', int64(len(v.elems)))
		}
	case KindSet:
		if resp3 {
			b = resp.AppendHeader(b, '~', int64(len(v.elems)))
		} else {
			b = resp.AppendHeader(b, '*', int64(len(v.elems)))
		}
	case KindPush:
		if resp3 {
			b = resp.AppendHeader(b, '>', int64(len(v.elems)))
		} else {
			b = resp.AppendHeader(b, '*', int64(len(v.elems)))
		}
	default: // KindArray
		b = resp.AppendHeader(b, '*', int64(len(v.elems)))
	}
	for _, e := range v.elems {
		b = appendReply(b, e, proto)
	}
	return b
}
