// Package geohash is the geometry behind Redis's geo commands: the 52-bit
// interleaved geohash a geo set stores as each member's score, the nine
// cells a radius or box search scans, and the great-circle distance.
//
// It reproduces Redis 7.0's arithmetic step for step (src/geohash.c,
// src/geohash_helper.c), because embedis must answer exactly as Redis
// does: the same score for the same coordinates, the same decoded cell
// centre, the same cells scanned in the same order, the same distance.
//
// # The hash
//
// Latitude is mapped from [LatMin, LatMax] and longitude from [LongMin,
// LongMax] to integers of Step bits (offset = (v - min) / (max - min) *
// 2^step, truncated); the two are interleaved bit by bit, latitude in the
// even bits and longitude in the odd ones:
//
//	bit:   ... 5    4    3    2    1    0
//	       ... lon2 lat2 lon1 lat1 lon0 lat0
//
// At StepMax (26) the hash has 52 bits, which a float64 holds exactly, so a
// geo set is a sorted set whose scores are these hashes: points in one
// cell of a coarser grid form one contiguous score range.
//
// The latitude limits are those of the Web Mercator projection
// (EPSG:3857); the poles cannot be indexed.
package geohash

import "math"

// Limits of the coordinates Redis indexes, and the precision it stores.
const (
	LongMin = -180.0
	LongMax = 180.0
	LatMin  = -85.05112878
	LatMax  = 85.05112878
	// StepMax is the number of bits per coordinate of a stored hash.
	StepMax = 26
	// EarthRadius is the radius, in meters, Redis's distances use (the
	// quadratic mean radius of the WGS-84 ellipsoid).
	EarthRadius = 6372797.560856
	// mercatorMax is half the circumference of the Web Mercator plane, in
	// meters, the largest radius the step estimate considers.
	mercatorMax = 20037726.37
)

// dR is degrees to radians, computed as C computes M_PI / 180.0.
const dR = math.Pi / 180.0

func degRad(a float64) float64 { return a * dR }
func radDeg(a float64) float64 { return a / dR }

// Range is an interval of one coordinate.
type Range struct{ Min, Max float64 }

// WGS84 ranges: those geo sets use.
var (
	LongRange = Range{LongMin, LongMax}
	LatRange  = Range{LatMin, LatMax}
)

// Hash is a geohash of Step bits per coordinate (2*Step bits in all). The
// zero Hash (Bits 0, Step 0) means "no cell": a neighbour a search drops.
type Hash struct {
	Bits uint64
	Step uint8
}

// IsZero reports whether h is the "no cell" value.
func (h Hash) IsZero() bool { return h.Bits == 0 && h.Step == 0 }

// Area is the rectangle of coordinates a hash covers.
type Area struct {
	Hash      Hash
	Long, Lat Range
}

// spread puts the low 32 bits of v into the even bits of the result.
func spread(v uint64) uint64 {
	v = (v | v<<16) & 0x0000FFFF0000FFFF
	v = (v | v<<8) & 0x00FF00FF00FF00FF
	v = (v | v<<4) & 0x0F0F0F0F0F0F0F0F
	v = (v | v<<2) & 0x3333333333333333
	v = (v | v<<1) & 0x5555555555555555
	return v
}

// squash is the inverse of spread: the even bits of v, packed.
func squash(v uint64) uint64 {
	v &= 0x5555555555555555
	v = (v | v>>1) & 0x3333333333333333
	v = (v | v>>2) & 0x0F0F0F0F0F0F0F0F
	v = (v | v>>4) & 0x00FF00FF00FF00FF
	v = (v | v>>8) & 0x0000FFFF0000FFFF
	v = (v | v>>16) & 0x00000000FFFFFFFF
	return v
}

// interleave puts lat in the even bits and long in the odd bits.
func interleave(lat, long uint32) uint64 {
	return spread(uint64(lat)) | spread(uint64(long))<<1
}

// deinterleave splits a hash into its latitude and longitude parts.
func deinterleave(h uint64) (lat, long uint32) {
	return uint32(squash(h)), uint32(squash(h >> 1))
}

// Encode hashes a point into a grid of step bits per coordinate over the
// given ranges. It fails (ok false) when step is not in 1..32, a range is
// empty, or the point lies outside the WGS84 limits or the ranges.
//
// A point on the upper edge of a range (longitude 180, latitude LatMax)
// maps to offset 2^step, one past the grid, exactly as in Redis; its hash
// then has a bit above 2*step.
func Encode(longR, latR Range, long, lat float64, step uint8) (Hash, bool) {
	if step == 0 || step > 32 || (latR.Min == 0 && latR.Max == 0) || (longR.Min == 0 && longR.Max == 0) {
		return Hash{}, false
	}
	if long > LongMax || long < LongMin || lat > LatMax || lat < LatMin {
		return Hash{}, false
	}
	if lat < latR.Min || lat > latR.Max || long < longR.Min || long > longR.Max {
		return Hash{}, false
	}
	latOff := (lat - latR.Min) / (latR.Max - latR.Min)
	longOff := (long - longR.Min) / (longR.Max - longR.Min)
	latOff *= float64(uint64(1) << step)
	longOff *= float64(uint64(1) << step)
	return Hash{Bits: interleave(uint32(latOff), uint32(longOff)), Step: step}, true
}

// EncodeWGS84 returns the 52-bit hash (StepMax) of a point as a geo set
// stores it; ok is false outside the WGS84 limits.
func EncodeWGS84(long, lat float64) (uint64, bool) {
	h, ok := Encode(LongRange, LatRange, long, lat, StepMax)
	if !ok {
		return 0, false
	}
	return Align52(h), true
}

// Decode returns the area a hash covers within the given ranges. It fails
// for the zero Hash or an empty range.
func Decode(longR, latR Range, h Hash) (Area, bool) {
	if h.IsZero() || (latR.Min == 0 && latR.Max == 0) || (longR.Min == 0 && longR.Max == 0) {
		return Area{}, false
	}
	// ilat+1 and ilong+1 wrap around in uint32 as they do in C; only
	// scores that GEOADD never writes reach that.
	ilat, ilong := deinterleave(h.Bits)
	latScale := latR.Max - latR.Min
	longScale := longR.Max - longR.Min
	div := float64(uint64(1) << h.Step)
	return Area{
		Hash: h,
		Lat: Range{
			Min: latR.Min + float64((float64(ilat)*1.0/div)*latScale),
			Max: latR.Min + float64((float64(ilat+1)*1.0/div)*latScale),
		},
		Long: Range{
			Min: longR.Min + float64((float64(ilong)*1.0/div)*longScale),
			Max: longR.Min + float64((float64(ilong+1)*1.0/div)*longScale),
		},
	}, true
}

// Center returns the centre of the area, clamped to the WGS84 limits.
func (a Area) Center() (long, lat float64) {
	long = (a.Long.Min + a.Long.Max) / 2
	long = min(max(long, LongMin), LongMax)
	lat = (a.Lat.Min + a.Lat.Max) / 2
	lat = min(max(lat, LatMin), LatMax)
	return long, lat
}

// DecodeWGS84 returns the point a stored 52-bit hash stands for: the centre
// of its cell, clamped to the WGS84 limits. This is what GEOPOS replies.
func DecodeWGS84(bits uint64) (long, lat float64) {
	a, _ := Decode(LongRange, LatRange, Hash{Bits: bits, Step: StepMax})
	return a.Center()
}

// ScoreBits converts a sorted-set score to the hash bits Redis decodes from
// it, reproducing C's (uint64_t) cast of a double as x86-64 compilers emit
// it: truncation for scores in range (every score GEOADD writes), and the
// processor's answers for the rest (negative scores wrap as int64; scores
// of 2^64 and above, and infinities, give 0; -inf gives 2^63).
func ScoreBits(score float64) uint64 {
	const two63 = 9223372036854775808.0
	cvt := func(f float64) uint64 { // cvttsd2si: out of range or NaN is 1<<63
		if f >= two63 || f < -two63 || f != f {
			return 1 << 63
		}
		return uint64(int64(f))
	}
	if score < two63 {
		return cvt(score)
	}
	return cvt(score-two63) ^ 1<<63
}

// Align52 shifts a hash of fewer than 26 steps left so that it is the
// smallest 52-bit hash inside its cell.
func Align52(h Hash) uint64 { return h.Bits << (52 - 2*uint(h.Step)) }

// CellRange returns the stored-hash interval [min, max) of the points
// inside the cell h.
func CellRange(h Hash) (lo, hi uint64) {
	lo = Align52(h)
	h.Bits++
	return lo, Align52(h)
}

// Neighbors are the eight cells around a cell, at its step.
type Neighbors struct {
	North, South, East, West Hash
	NorthEast, NorthWest     Hash
	SouthEast, SouthWest     Hash
}

// moveX moves a hash one cell east (d > 0) or west (d < 0), wrapping around
// the grid. Longitude is in the odd bits.
func moveX(h Hash, d int) Hash {
	if d == 0 {
		return h
	}
	x := h.Bits & 0xaaaaaaaaaaaaaaaa
	y := h.Bits & 0x5555555555555555
	zz := uint64(0x5555555555555555) >> (64 - 2*uint(h.Step))
	if d > 0 {
		x += zz + 1
	} else {
		x |= zz
		x -= zz + 1
	}
	x &= 0xaaaaaaaaaaaaaaaa >> (64 - 2*uint(h.Step))
	h.Bits = x | y
	return h
}

// moveY moves a hash one cell north (d > 0) or south (d < 0). Latitude is
// in the even bits.
func moveY(h Hash, d int) Hash {
	if d == 0 {
		return h
	}
	x := h.Bits & 0xaaaaaaaaaaaaaaaa
	y := h.Bits & 0x5555555555555555
	zz := uint64(0xaaaaaaaaaaaaaaaa) >> (64 - 2*uint(h.Step))
	if d > 0 {
		y += zz + 1
	} else {
		y |= zz
		y -= zz + 1
	}
	y &= 0x5555555555555555 >> (64 - 2*uint(h.Step))
	h.Bits = x | y
	return h
}

// NeighborsOf returns the eight cells around h.
func NeighborsOf(h Hash) Neighbors {
	return Neighbors{
		East:      moveX(h, 1),
		West:      moveX(h, -1),
		South:     moveY(h, -1),
		North:     moveY(h, 1),
		NorthWest: moveY(moveX(h, -1), 1),
		NorthEast: moveY(moveX(h, 1), 1),
		SouthEast: moveY(moveX(h, 1), -1),
		SouthWest: moveY(moveX(h, -1), -1),
	}
}

// Distance is the great-circle distance in meters between two points, by
// the haversine formula on a sphere of EarthRadius, computed as Redis 7.0
// computes it, operation for operation, with correctly rounded sin, cos
// and asin (crmath.go) as glibc's are; so the result is the very double
// Redis gets.
func Distance(long1, lat1, long2, lat2 float64) float64 {
	return distance(long1, lat1, long2, lat2, math.NaN())
}

// distance is Distance with cos(lat1) given when known (NaN when not), so
// a search computes the cosine of its centre once.
func distance(long1, lat1, long2, lat2, cosLat1 float64) float64 {
	lat1r := degRad(lat1)
	long1r := degRad(long1)
	lat2r := degRad(lat2)
	long2r := degRad(long2)
	u := crSin((lat2r - lat1r) / 2)
	v := crSin((long2r - long1r) / 2)
	a := u * u
	if v != 0 {
		// When v is 0 the second term is a zero that leaves a as it is,
		// so the cosines are not needed.
		if cosLat1 != cosLat1 {
			cosLat1 = crCos(lat1r)
		}
		// The float64 conversions forbid fused multiply-adds, which C
		// does not use here either.
		a = float64(u*u) + float64(float64(float64(cosLat1*crCos(lat2r))*v)*v)
	}
	return 2.0 * EarthRadius * crAsin(math.Sqrt(a))
}

// distanceFast is Distance with Go's math functions: within a few ulps of
// it, several times faster. Searches use it to reject points that are
// clearly outside.
func distanceFast(long1, lat1, long2, lat2 float64) float64 {
	lat1r := degRad(lat1)
	long1r := degRad(long1)
	lat2r := degRad(lat2)
	long2r := degRad(long2)
	u := math.Sin((lat2r - lat1r) / 2)
	v := math.Sin((long2r - long1r) / 2)
	a := float64(u*u) + float64(float64(float64(math.Cos(lat1r)*math.Cos(lat2r))*v)*v)
	return 2.0 * EarthRadius * math.Asin(math.Sqrt(a))
}

// alphabet is the base-32 alphabet of geohash strings.
const alphabet = "0123456789bcdefghjkmnpqrstuvwxyz"

// String returns the 11-character geohash string (as GEOHASH replies) of a
// stored hash. The stored hash uses Redis's latitude range; the standard
// geohash uses -90..90, so the point is decoded and re-encoded over the
// standard ranges. The standard string has 55 bits; the last 3 are zero.
func String(bits uint64) string {
	long, lat := DecodeWGS84(bits)
	h, _ := Encode(Range{-180, 180}, Range{-90, 90}, long, lat, StepMax)
	var buf [11]byte
	for i := range 10 {
		buf[i] = alphabet[(h.Bits>>(52-uint(i+1)*5))&0x1f]
	}
	buf[10] = alphabet[0]
	return string(buf[:])
}
