package geohash

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// human formats a coordinate as Redis's GEOPOS does ("%.17Lf", trailing
// zeros trimmed), so the expectations below read as redis-cli prints them.
func human(f float64) string {
	s := strconv.FormatFloat(f, 'f', 17, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// cities were added with GEOADD to a real redis-server 7.0.15; score,
// geohash and position are what its ZSCORE, GEOHASH and GEOPOS replied.
var cities = []struct {
	name            string
	long, lat       float64
	score           uint64
	hash            string
	posLong, posLat string
}{
	{"Palermo", 13.361389, 38.115556, 3479099956230698, "sqc8b49rny0", "13.36138933897018433", "38.11555639549629859"},
	{"Catania", 15.087269, 37.502669, 3479447370796909, "sqdtr74hyu0", "15.08726745843887329", "37.50266842333162032"},
	{"London", -0.1276, 51.5072, 2163557714838307, "gcpvj0e54w0", "-0.12760072946548462", "51.50720053692975853"},
	{"Tokyo", 139.6917, 35.6895, 4171231230197045, "xn774c06kt0", "139.69170123338699341", "35.68950126697937009"},
	{"SanFrancisco", -122.4194, 37.7749, 1367859919124626, "9q8yyk8ytp0", "-122.41940170526504517", "37.77490001056577995"},
	{"Sydney", 151.2093, -33.8688, 3252046221964352, "r3gx2f77bj0", "151.20929986238479614", "-33.86880091934155956"},
	{"BuenosAires", -58.3816, -34.6037, 887133777343301, "69y7pkxff40", "-58.38160246610641479", "-34.60370022923218158"},
	{"Null", 0, 0, 3377699720527872, "s0000000000", "0.00000268220901489", "0.00000126736058093"},
	{"Paris", 2.3522, 48.8566, 3663832779122514, "u09tvw0f640", "2.35219806432723999", "48.8565995303492997"},
	// The upper corner: both offsets are 2^26, one past the grid, so the
	// hash has bits 52 and 53 set; the decoded centre is clamped.
	{"Corner", 180, 85.05112878, 13510798882111488, "bp05b5048p0", "180", "85.0511287799999991"},
	{"LowerCorner", -180, -85.05112878, 0, "00bh0hbj200", "-179.99999731779098511", "-85.05112751263942528"},
}

func TestEncodeDecodeLikeRedis(t *testing.T) {
	for _, c := range cities {
		bits, ok := EncodeWGS84(c.long, c.lat)
		if !ok || bits != c.score {
			t.Errorf("%s: EncodeWGS84 = %d, %v; Redis stores %d", c.name, bits, ok, c.score)
		}
		long, lat := DecodeWGS84(c.score)
		if human(long) != c.posLong || human(lat) != c.posLat {
			t.Errorf("%s: DecodeWGS84 = %s %s; Redis GEOPOS %s %s", c.name, human(long), human(lat), c.posLong, c.posLat)
		}
		if got := String(c.score); got != c.hash {
			t.Errorf("%s: String = %s; Redis GEOHASH %s", c.name, got, c.hash)
		}
	}
}

// Scores GEOADD never writes decode as Redis decodes them (values from
// ZADD then GEOPOS and GEOHASH on redis-server 7.0.15).
func TestScoreBitsOddScores(t *testing.T) {
	for _, c := range []struct {
		score           float64
		posLong, posLat string
		hash            string
	}{
		{9007199254740991, "179.99999731779098511", "85.0511287799999991", "zzpgzgpfxz0"},
		{-5, "180", "85.0511287799999991", "bp05b5048p0"},
		{1e300, "-179.99999731779098511", "-85.05112751263942528", "00bh0hbj200"},
	} {
		bits := ScoreBits(c.score)
		long, lat := DecodeWGS84(bits)
		if human(long) != c.posLong || human(lat) != c.posLat {
			t.Errorf("score %g: decoded %s %s, Redis %s %s", c.score, human(long), human(lat), c.posLong, c.posLat)
		}
		if got := String(bits); got != c.hash {
			t.Errorf("score %g: String = %s; Redis %s", c.score, got, c.hash)
		}
	}
	if ScoreBits(math.Inf(1)) != 0 || ScoreBits(math.Inf(-1)) != 1<<63 || ScoreBits(3.9) != 3 {
		t.Errorf("ScoreBits: inf %d, -inf %d, 3.9 %d", ScoreBits(math.Inf(1)), ScoreBits(math.Inf(-1)), ScoreBits(3.9))
	}
}

func TestEncodeLimits(t *testing.T) {
	for _, p := range [][2]float64{{180.0000001, 0}, {-180.0000001, 0}, {0, 85.05112879}, {0, -85.05112879}, {math.NaN(), 0}} {
		if _, ok := EncodeWGS84(p[0], p[1]); ok && !math.IsNaN(p[0]) {
			t.Errorf("EncodeWGS84(%v, %v) accepted a point outside the limits", p[0], p[1])
		}
	}
	if _, ok := Encode(LongRange, LatRange, 0, 0, 0); ok {
		t.Error("Encode accepted step 0")
	}
	if _, ok := Encode(LongRange, LatRange, 0, 0, 33); ok {
		t.Error("Encode accepted step 33")
	}
	if _, ok := Decode(LongRange, LatRange, Hash{}); ok {
		t.Error("Decode accepted the zero hash")
	}
}

func TestInterleave(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		a, b := r.Uint32(), r.Uint32()
		h := interleave(a, b)
		x, y := deinterleave(h)
		if x != a || y != b {
			t.Fatalf("deinterleave(interleave(%x, %x)) = %x, %x", a, b, x, y)
		}
		// Bit by bit: lat in the even bits, long in the odd ones.
		for i := range 32 {
			if (h>>(2*i))&1 != uint64(a>>i)&1 || (h>>(2*i+1))&1 != uint64(b>>i)&1 {
				t.Fatalf("interleave(%x, %x) = %x: bit %d misplaced", a, b, h, i)
			}
		}
	}
}

// Every random point decodes to the centre of a cell that contains it, and
// re-encoding the centre gives the same hash.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 10000 {
		long := r.Float64()*360 - 180
		lat := r.Float64()*2*LatMax - LatMax
		bits, ok := EncodeWGS84(long, lat)
		if !ok {
			t.Fatalf("EncodeWGS84(%v, %v) failed", long, lat)
		}
		a, _ := Decode(LongRange, LatRange, Hash{Bits: bits, Step: StepMax})
		if long < a.Long.Min || long > a.Long.Max || lat < a.Lat.Min || lat > a.Lat.Max {
			t.Fatalf("(%v, %v) not in its cell %+v", long, lat, a)
		}
		cl, ca := DecodeWGS84(bits)
		if again, _ := EncodeWGS84(cl, ca); again != bits {
			t.Fatalf("centre of %d re-encodes to %d", bits, again)
		}
	}
}

// The neighbours of a cell are the cells one step away, wrapping around the
// antimeridian, with their area adjacent to the cell's.
func TestNeighbors(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		step := uint8(1 + r.IntN(26))
		long := r.Float64()*360 - 180
		lat := r.Float64()*2*LatMax - LatMax
		h, _ := Encode(LongRange, LatRange, long, lat, step)
		ilat, ilong := deinterleave(h.Bits)
		mask := uint32(1)<<step - 1
		n := NeighborsOf(h)
		for _, c := range []struct {
			name   string
			got    Hash
			dx, dy int
		}{
			{"north", n.North, 0, 1}, {"south", n.South, 0, -1}, {"east", n.East, 1, 0}, {"west", n.West, -1, 0},
			{"north-east", n.NorthEast, 1, 1}, {"north-west", n.NorthWest, -1, 1},
			{"south-east", n.SouthEast, 1, -1}, {"south-west", n.SouthWest, -1, -1},
		} {
			wantLat := (ilat + uint32(c.dy)) & mask
			wantLong := (ilong + uint32(c.dx)) & mask
			want := Hash{Bits: interleave(wantLat, wantLong), Step: step}
			if c.got != want {
				t.Fatalf("step %d cell (%d,%d): %s = %+v, want %+v", step, ilong, ilat, c.name, c.got, want)
			}
		}
	}
}

func TestCellRange(t *testing.T) {
	h := Hash{Bits: 0b101010, Step: 3}
	lo, hi := CellRange(h)
	if lo != 0b101010<<46 || hi != 0b101011<<46 {
		t.Errorf("CellRange = %b, %b", lo, hi)
	}
	// A stored hash lies in the range of the coarser cell of its point.
	bits, _ := EncodeWGS84(13.361389, 38.115556)
	c, _ := Encode(LongRange, LatRange, 13.361389, 38.115556, 9)
	lo, hi = CellRange(c)
	if bits < lo || bits >= hi {
		t.Errorf("hash %d outside its step-9 cell [%d, %d)", bits, lo, hi)
	}
}

// Distances between stored points match GEODIST of redis-server 7.0.15
// (printed with four decimals, in meters).
func TestDistanceLikeRedis(t *testing.T) {
	pos := map[string][2]float64{}
	for _, c := range cities {
		long, lat := DecodeWGS84(c.score)
		pos[c.name] = [2]float64{long, lat}
	}
	for _, c := range []struct {
		a, b string
		unit float64
		want string
	}{
		{"Palermo", "Catania", 1, "166274.1516"},
		{"Palermo", "Catania", 1000, "166.2742"},
		{"London", "Paris", 1, "343626.8434"},
		{"London", "Tokyo", 1000, "9561.4222"},
		{"Sydney", "BuenosAires", 1609.34, "7334.9296"},
		{"SanFrancisco", "Tokyo", 0.3048, "27142543.9712"},
		{"Null", "Null", 1, "0.0000"},
	} {
		a, b := pos[c.a], pos[c.b]
		got := strconv.FormatFloat(Distance(a[0], a[1], b[0], b[1])/c.unit, 'f', 4, 64)
		if got != c.want {
			t.Errorf("distance %s-%s = %s, Redis %s", c.a, c.b, got, c.want)
		}
	}
}

func TestEstimateSteps(t *testing.T) {
	for _, c := range []struct {
		meters, lat float64
		want        uint8
	}{
		{0, 0, 26}, {1, 0, 24}, {1000, 0, 14}, {1000, 70, 13}, {1000, -85, 12},
		{5000e3, 0, 2}, {10000e3, 0, 1}, {50e6, 0, 1}, {1e-9, 0, 26},
	} {
		if got := estimateSteps(c.meters, c.lat); got != c.want {
			t.Errorf("estimateSteps(%v, %v) = %d, want %d", c.meters, c.lat, got, c.want)
		}
	}
}

// The cells of a search cover every stored point the shape contains: a
// brute-force check over random points and shapes, circles and boxes, at
// every scale and near the poles and the antimeridian.
func TestAreasCoverShape(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	points := make([]uint64, 3000)
	for i := range points {
		points[i], _ = EncodeWGS84(r.Float64()*360-180, r.Float64()*2*LatMax-LatMax)
	}
	for q := range 300 {
		s := Shape{
			Long:       r.Float64()*360 - 180,
			Lat:        r.Float64()*2*LatMax - LatMax,
			Conversion: 1000,
		}
		size := math.Pow(10, r.Float64()*4.5) // 1 km .. 30000 km
		if q%2 == 0 {
			s.Radius = size
		} else {
			s.Box, s.Width, s.Height = true, size, size*(0.2+r.Float64()*2)
		}
		// Cluster some points around the centre so small shapes are tested.
		local := make([]uint64, 0, 50)
		for range 50 {
			deg := size / 111 // about a degree per 111 km
			dl := (r.Float64() - 0.5) * deg
			dlat := (r.Float64() - 0.5) * deg
			lat := max(min(s.Lat+dlat, LatMax-1e-9), -LatMax)
			if b, ok := EncodeWGS84(math.Mod(s.Long+dl+540, 360)-180, lat); ok {
				local = append(local, b)
			}
		}
		cells := AreasByShape(&s)
		order := cells.Order()
		for _, p := range append(local, points...) {
			long, lat := DecodeWGS84(p)
			if _, in := s.Contains(long, lat, false); !in {
				continue
			}
			found := false
			for _, c := range order {
				if c.IsZero() {
					continue
				}
				lo, hi := CellRange(c)
				if p >= lo && p < hi {
					found = true
					break
				}
			}
			if !found {
				t.Fatalf("query %d %+v: point (%v, %v) inside the shape is in no cell", q, s, long, lat)
			}
		}
	}
}

func TestContainsBox(t *testing.T) {
	s := Shape{Long: 0, Lat: 0, Box: true, Width: 200, Height: 100, Conversion: 1000}
	// About 111.2 km per degree at the equator.
	for _, c := range []struct {
		long, lat float64
		in        bool
	}{
		{0.89, 0, true}, {0.91, 0, false}, {0, 0.44, true}, {0, 0.46, false}, {0.89, 0.44, true}, {-0.89, -0.44, true},
	} {
		if _, in := s.Contains(c.long, c.lat, c.in); in != c.in {
			t.Errorf("box contains (%v, %v) = %v, want %v", c.long, c.lat, in, c.in)
		}
	}
}
