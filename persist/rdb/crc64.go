package rdb

import "hash/crc64"

// crcTable is the table of Redis's CRC-64: the Jones polynomial
// 0xad93d23594c935a9, reflected input and output, initial value 0 and no
// final xor. hash/crc64 takes the polynomial in reversed bit order, which
// for the Jones polynomial is 0x95ac9329ac4bc9b5.
var crcTable = crc64.MakeTable(0x95ac9329ac4bc9b5)

// CRC64 returns Redis's CRC-64 (crc64.c) of p continued from crc; start a
// new checksum with crc 0. CRC64(0, []byte("123456789")) is
// 0xe9c6d914c4b8d9ca.
func CRC64(crc uint64, p []byte) uint64 {
	// hash/crc64 inverts the register before and after; Redis's variant
	// does neither, so undo both inversions.
	return ^crc64.Update(^crc, crcTable, p)
}
