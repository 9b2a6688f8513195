package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// EncodeDump returns v as DUMP returns it in Redis 7.0: the type byte, the
// value as in an RDB file, the RDB version (10) as 2 bytes little endian
// and the CRC64 of all that, little endian. Encodings follow cfg as in
// Writer.WriteKey (DUMP compresses strings when cfg.Compression is set).
func EncodeDump(v Value, cfg Config) ([]byte, error) {
	b, err := appendValue(nil, v, &cfg)
	if err != nil {
		return nil, err
	}
	b = binary.LittleEndian.AppendUint16(b, Version)
	return binary.LittleEndian.AppendUint64(b, CRC64(0, b)), nil
}

// DecodeDump decodes a DUMP payload as RESTORE does. A payload shorter
// than its footer, of a version above 10 or with a wrong CRC64 returns an
// error whose text is ErrDumpPayload's; a value that does not decode (or
// is an empty collection) one whose text is ErrBadDataFormat's. Both
// match their sentinel with errors.Is and unwrap to the detailed cause.
// Bytes after the value are ignored, and a value may run into the footer's
// bytes, as in Redis, which reads the value from the whole payload.
func DecodeDump(payload []byte) (Value, Type, error) {
	if len(payload) < 10 {
		return nil, 0, &dumpError{sentinel: ErrDumpPayload, cause: errors.New("rdb: payload shorter than its 10-byte footer")}
	}
	footer := payload[len(payload)-10:]
	ver := binary.LittleEndian.Uint16(footer)
	if ver > Version {
		return nil, 0, &dumpError{sentinel: ErrDumpPayload, cause: fmt.Errorf("rdb: payload RDB version %d is newer than %d", ver, Version)}
	}
	if sum, want := binary.LittleEndian.Uint64(footer[2:]), CRC64(0, payload[:len(payload)-8]); sum != want {
		return nil, 0, &dumpError{sentinel: ErrDumpPayload, cause: fmt.Errorf("rdb: payload CRC64 %#016x, data has %#016x", sum, want)}
	}
	// Redis reads the value from the whole payload, footer included, so a
	// value whose last bytes are the footer's loads; so do we.
	d := decoder{src: newSourceSize(bytes.NewReader(payload), len(payload)), ver: int(ver)}
	tb, err := d.readByte("the value type")
	if err != nil {
		return nil, 0, &dumpError{sentinel: ErrBadDataFormat, cause: err}
	}
	t := Type(tb)
	if t > typeStreamListpacks3 {
		return nil, 0, &dumpError{sentinel: ErrBadDataFormat, cause: corruptAt(0, "byte %d is not a value type", tb)}
	}
	v, err := d.readValue(t)
	if err != nil {
		if errors.Is(err, errEmptyKey) {
			err = corruptAt(1, "empty collection")
		}
		return nil, 0, &dumpError{sentinel: ErrBadDataFormat, cause: err}
	}
	return v, t, nil
}
