package resp

import "strconv"

// The Append functions add one RESP frame, or the header of an aggregate
// frame, to b and return the extended slice. The caller picks RESP2 or
// RESP3 forms; none of them checks that text is free of CR and LF where the
// protocol forbids it (simple strings and errors).

// AppendSimple appends a simple string: +s.
func AppendSimple(b []byte, s string) []byte {
	b = append(b, '+')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// AppendError appends an error: -msg.
func AppendError(b []byte, msg string) []byte {
	b = append(b, '-')
	b = append(b, msg...)
	return append(b, '\r', '\n')
}

// AppendInt appends an integer: :n.
func AppendInt(b []byte, n int64) []byte {
	b = append(b, ':')
	b = strconv.AppendInt(b, n, 10)
	return append(b, '\r', '\n')
}

// AppendBulk appends a bulk string: $len, then the data.
func AppendBulk(b []byte, s string) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, '\r', '\n')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// AppendVerbatim appends a RESP3 verbatim string whose text starts with its
// three-letter format and a colon ("txt:..."): =len, then the text.
func AppendVerbatim(b []byte, formatted string) []byte {
	b = append(b, '=')
	b = strconv.AppendInt(b, int64(len(formatted)), 10)
	b = append(b, '\r', '\n')
	b = append(b, formatted...)
	return append(b, '\r', '\n')
}

// AppendHeader appends an aggregate header such as *3 (array), %2 (map),
// ~4 (set) or >3 (push); -1 gives the RESP2 nil array *-1.
func AppendHeader(b []byte, kind byte, n int64) []byte {
	b = append(b, kind)
	b = strconv.AppendInt(b, n, 10)
	return append(b, '\r', '\n')
}

// AppendNullBulk appends RESP2's nil bulk string, $-1.
func AppendNullBulk(b []byte) []byte { return append(b, "$-1\r\n"...) }

// AppendNullArray appends RESP2's nil array, *-1.
func AppendNullArray(b []byte) []byte { return append(b, "*-1\r\n"...) }

// AppendNull appends RESP3's null, _.
func AppendNull(b []byte) []byte { return append(b, "_\r\n"...) }

// AppendBool appends a RESP3 boolean, #t or #f.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "#t\r\n"...)
	}
	return append(b, "#f\r\n"...)
}

// AppendDouble appends a RESP3 double from its text (",1.5", ",inf").
func AppendDouble(b []byte, text string) []byte {
	b = append(b, ',')
	b = append(b, text...)
	return append(b, '\r', '\n')
}

// AppendBigNumber appends a RESP3 big number from its decimal text.
func AppendBigNumber(b []byte, decimal string) []byte {
	b = append(b, '(')
	b = append(b, decimal...)
	return append(b, '\r', '\n')
}
