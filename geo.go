package embedis

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/embedis/embedis/internal/geohash"
	"github.com/embedis/embedis/internal/zindex"
)

// Geo.
//
// As in Redis, a geo set is not a type of its own: it is a sorted set whose
// scores are the 52-bit interleaved geohashes of its members' positions
// (internal/geohash), so ZRANGE, ZREM, ZCARD and the rest work on it, and
// the geo commands work on any sorted set (a score that GEOADD did not
// write decodes to some point, as it does in Redis). GEOADD is ZADD with
// the scores computed from the coordinates.
//
// A position is stored as the cell of a 2^26 by 2^26 grid that contains it;
// GEOPOS and every reply with coordinates return the centre of that cell,
// which is within about 0.6 m of the position given.
//
// A search (GEOSEARCH, GEORADIUS ...) picks a grid step whose cells are
// about as large as the search area, and scans the score ranges of the
// centre's cell and of its eight neighbours, in Redis's order (centre,
// north, south, east, west, north-east, north-west, south-east,
// south-west), keeping the points inside the area. Without ASC, DESC or
// COUNT the reply is in that scan order, as Redis's is. Sorting follows
// Redis too, down to the order of exact ties: a stable sort when every
// match is returned (glibc's qsort is a merge sort), Redis's partial
// quicksort when COUNT returns fewer (geoPartialSort).
//
// Distances are computed operation for operation as Redis computes them,
// with correctly rounded sin, cos and asin (internal/geohash). glibc's
// functions are not quite correctly rounded, so in rare cases the last
// bit of a distance differs from Redis's: invisible in the four-decimal
// WITHDIST and GEODIST replies, but a STOREDIST score can differ in its
// seventeenth digit (a handful of scores in thousands in our randomized
// comparisons against redis-server 7.0.15; everything else matched).

// ---- typed methods ----

// GeoLocation is a named point: the input of GeoAdd and a result of the
// searches. Longitude and Latitude are in degrees. In a search result,
// Longitude and Latitude are set only when WithCoord was asked for, Dist
// (in the query's unit) only with WithDist, and Hash (the stored 52-bit
// geohash) only with WithHash.
type GeoLocation struct {
	// Name is the member name in the geo set.
	Name string
	// Longitude and Latitude are the position in degrees. GeoAdd sends them
	// as given; a search sets them only with WithCoord (zero otherwise), to
	// the centre of the grid cell the member is stored in.
	Longitude, Latitude float64
	// Dist is the distance from the search's centre, in the query's unit,
	// rounded to four decimals; set only with WithDist (zero otherwise).
	// Ignored by GeoAdd.
	Dist float64
	// Hash is the member's stored 52-bit integer geohash (its sorted-set
	// score); set only with WithHash (zero otherwise). Ignored by GeoAdd.
	Hash int64
}

// GeoAddOptions are GEOADD's flags: NX adds new members only, XX updates
// existing members only, CH makes GeoAdd count changed positions as well
// as added members. The zero value adds and updates and counts additions.
type GeoAddOptions struct {
	// NX only adds new members (existing ones keep their position); XX
	// only updates existing members (no new ones are added). CH makes the
	// returned count include members whose position changed, not only
	// those added. All false is plain GEOADD.
	NX, XX, CH bool
}

// GeoAdd adds the locations to the geo set at key (GEOADD), creating it if
// needed, and returns the number of members added (added or changed with
// CH). A longitude must be in [-180, 180] and a latitude in
// [-85.05112878, 85.05112878], or nothing is added and the error is
// Redis's "invalid longitude,latitude pair".
func (d *DB) GeoAdd(ctx context.Context, key string, opts GeoAddOptions, locs ...GeoLocation) (int64, error) {
	args := make([]string, 0, 5+3*len(locs))
	args = append(args, "GEOADD", key)
	if opts.NX {
		args = append(args, "NX")
	}
	if opts.XX {
		args = append(args, "XX")
	}
	if opts.CH {
		args = append(args, "CH")
	}
	for _, l := range locs {
		args = append(args, geoFloatArg(l.Longitude), geoFloatArg(l.Latitude), l.Name)
	}
	return asInt(d.exec(ctx, args))
}

// geoFloatArg formats a float argument so that the command parses back the
// same double.
func geoFloatArg(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// GeoDist returns the distance between two members of the geo set at key
// (GEODIST), in unit: "m" (also for ""), "km", "ft" or "mi". It returns Nil
// when the key or either member does not exist. Redis rounds the distance
// to four decimals, and so does GeoDist.
func (d *DB) GeoDist(ctx context.Context, key, member1, member2, unit string) (float64, error) {
	if unit == "" {
		unit = "m"
	}
	return asFloat(d.execArgs(ctx, "GEODIST", key, member1, member2, unit))
}

// GeoHash returns the 11-character standard geohash string of each member
// (GEOHASH), "" for a member that is not in the set (or when the key does
// not exist).
func (d *DB) GeoHash(ctx context.Context, key string, members ...string) ([]string, error) {
	args := append([]string{"GEOHASH", key}, members...)
	v, err := d.exec(ctx, args)
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]string, len(v.elems))
	for i, e := range v.elems {
		out[i] = e.Str()
	}
	return out, nil
}

// GeoPosition is a longitude and latitude in degrees.
type GeoPosition struct {
	// Longitude and Latitude are in degrees: the centre of the grid cell
	// the member is stored in, not exactly the position given to GeoAdd.
	Longitude, Latitude float64
}

// GeoPos returns the position of each member (GEOPOS): the centre of the
// grid cell it is stored in, nil for a member that is not in the set (or
// when the key does not exist).
func (d *DB) GeoPos(ctx context.Context, key string, members ...string) ([]*GeoPosition, error) {
	args := append([]string{"GEOPOS", key}, members...)
	v, err := d.exec(ctx, args)
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]*GeoPosition, len(v.elems))
	for i, e := range v.elems {
		if e.IsNull() || len(e.elems) != 2 {
			continue
		}
		out[i] = &GeoPosition{Longitude: geoReplyFloat(e.elems[0]), Latitude: geoReplyFloat(e.elems[1])}
	}
	return out, nil
}

// geoReplyFloat reads a coordinate or distance reply (a double, or a bulk
// string holding a number).
func geoReplyFloat(v Value) float64 {
	if v.kind == KindDouble {
		return v.dbl
	}
	f, _ := strconv.ParseFloat(v.Str(), 64)
	return f
}

// GeoQueryOptions are the options GEOSEARCH and GEORADIUS share.
type GeoQueryOptions struct {
	// Unit is the unit of the radius, of the box and of returned
	// distances: "m" (the default, also for ""), "km", "ft" or "mi".
	Unit string
	// Sort orders the results by distance from the centre: "ASC" or
	// "DESC"; "" leaves them in scan order (or ASC when Count is set and
	// Any is not).
	Sort string
	// Count, when > 0, returns at most that many results: the nearest
	// ones, unless Any is set.
	Count int64
	// Any, with Count, stops the search as soon as Count matches are
	// found, which is faster but returns some matches rather than the
	// nearest ones.
	Any bool
	// WithCoord, WithDist and WithHash fill Longitude and Latitude, Dist
	// and Hash of each result.
	WithCoord, WithDist, WithHash bool
}

// args appends the options in Redis's syntax.
func (o *GeoQueryOptions) args(args []string) []string {
	if o.Sort != "" {
		args = append(args, o.Sort)
	}
	if o.Count > 0 {
		args = append(args, "COUNT", strconv.FormatInt(o.Count, 10))
		if o.Any {
			args = append(args, "ANY")
		}
	}
	if o.WithCoord {
		args = append(args, "WITHCOORD")
	}
	if o.WithDist {
		args = append(args, "WITHDIST")
	}
	if o.WithHash {
		args = append(args, "WITHHASH")
	}
	return args
}

func (o *GeoQueryOptions) unit() string {
	if o.Unit == "" {
		return "m"
	}
	return o.Unit
}

// GeoSearchQuery is a GEOSEARCH: a centre, an area, and the result
// options.
type GeoSearchQuery struct {
	// Member, when not empty, is the centre of the search (FROMMEMBER);
	// otherwise the centre is Longitude, Latitude (FROMLONLAT).
	Member string
	// Longitude and Latitude, in degrees, are the centre of the search
	// (FROMLONLAT) when Member is empty; ignored otherwise.
	Longitude, Latitude float64
	// Radius, in Unit, makes the area the circle of that radius around
	// the centre (BYRADIUS); used only when BoxWidth and BoxHeight are
	// both zero.
	Radius float64
	// BoxWidth and BoxHeight, in Unit, when either is not zero, make the
	// area an axis-aligned box of that width and height centred on the
	// centre (BYBOX) instead of the circle of Radius.
	BoxWidth, BoxHeight float64
	GeoQueryOptions
}

func (q *GeoSearchQuery) args(args []string) []string {
	if q.Member != "" {
		args = append(args, "FROMMEMBER", q.Member)
	} else {
		args = append(args, "FROMLONLAT", geoFloatArg(q.Longitude), geoFloatArg(q.Latitude))
	}
	if q.BoxWidth != 0 || q.BoxHeight != 0 {
		args = append(args, "BYBOX", geoFloatArg(q.BoxWidth), geoFloatArg(q.BoxHeight), q.unit())
	} else {
		args = append(args, "BYRADIUS", geoFloatArg(q.Radius), q.unit())
	}
	return args
}

// GeoSearch returns the members of the geo set at key inside the query's
// area (GEOSEARCH). A missing key gives no results; a Member that is not
// in the set gives ErrGeoMember.
func (d *DB) GeoSearch(ctx context.Context, key string, q GeoSearchQuery) ([]GeoLocation, error) {
	args := q.args([]string{"GEOSEARCH", key})
	args = q.GeoQueryOptions.args(args)
	v, err := d.exec(ctx, args)
	return asGeoLocations(v, err, &q.GeoQueryOptions)
}

// GeoSearchStore runs the query on the geo set at src and stores the
// matches in the sorted set dst (GEOSEARCHSTORE), replacing dst (deleting
// it when nothing matches), and returns the number stored. The scores are
// the geohashes, so dst is a geo set, or with storeDist the distances
// in the query's unit. The query's With options must be false.
func (d *DB) GeoSearchStore(ctx context.Context, dst, src string, q GeoSearchQuery, storeDist bool) (int64, error) {
	args := q.args([]string{"GEOSEARCHSTORE", dst, src})
	args = q.GeoQueryOptions.args(args)
	if storeDist {
		args = append(args, "STOREDIST")
	}
	return asInt(d.exec(ctx, args))
}

// GeoRadius returns the members of the geo set at key within radius of the
// point (GEORADIUS_RO, the read-only form of GEORADIUS; GEOSEARCH is its
// successor).
func (d *DB) GeoRadius(ctx context.Context, key string, longitude, latitude, radius float64, opts GeoQueryOptions) ([]GeoLocation, error) {
	args := []string{"GEORADIUS_RO", key, geoFloatArg(longitude), geoFloatArg(latitude), geoFloatArg(radius), opts.unit()}
	v, err := d.exec(ctx, opts.args(args))
	return asGeoLocations(v, err, &opts)
}

// GeoRadiusStore is GEORADIUS with STORE (or STOREDIST when storeDist): the
// matches are stored in dst as GeoSearchStore does, and their number is
// returned. The With options of opts must be false.
func (d *DB) GeoRadiusStore(ctx context.Context, key string, longitude, latitude, radius float64, opts GeoQueryOptions, dst string, storeDist bool) (int64, error) {
	args := []string{"GEORADIUS", key, geoFloatArg(longitude), geoFloatArg(latitude), geoFloatArg(radius), opts.unit()}
	return asInt(d.exec(ctx, geoStoreArgs(opts.args(args), dst, storeDist)))
}

// GeoRadiusByMember is GeoRadius around the position of member
// (GEORADIUSBYMEMBER_RO). A member that is not in the set gives
// ErrGeoMember.
func (d *DB) GeoRadiusByMember(ctx context.Context, key, member string, radius float64, opts GeoQueryOptions) ([]GeoLocation, error) {
	args := []string{"GEORADIUSBYMEMBER_RO", key, member, geoFloatArg(radius), opts.unit()}
	v, err := d.exec(ctx, opts.args(args))
	return asGeoLocations(v, err, &opts)
}

// GeoRadiusByMemberStore is GEORADIUSBYMEMBER with STORE or STOREDIST.
func (d *DB) GeoRadiusByMemberStore(ctx context.Context, key, member string, radius float64, opts GeoQueryOptions, dst string, storeDist bool) (int64, error) {
	args := []string{"GEORADIUSBYMEMBER", key, member, geoFloatArg(radius), opts.unit()}
	return asInt(d.exec(ctx, geoStoreArgs(opts.args(args), dst, storeDist)))
}

func geoStoreArgs(args []string, dst string, storeDist bool) []string {
	if storeDist {
		return append(args, "STOREDIST", dst)
	}
	return append(args, "STORE", dst)
}

// asGeoLocations converts a search reply, whose shape depends on the With
// options.
func asGeoLocations(v Value, err error, o *GeoQueryOptions) ([]GeoLocation, error) {
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]GeoLocation, len(v.elems))
	for i, e := range v.elems {
		if e.kind != KindArray {
			out[i].Name = e.Str()
			continue
		}
		parts := e.elems
		out[i].Name = parts[0].Str()
		parts = parts[1:]
		if o.WithDist && len(parts) > 0 {
			out[i].Dist = geoReplyFloat(parts[0])
			parts = parts[1:]
		}
		if o.WithHash && len(parts) > 0 {
			out[i].Hash = parts[0].Int()
			parts = parts[1:]
		}
		if o.WithCoord && len(parts) > 0 && len(parts[0].elems) == 2 {
			out[i].Longitude = geoReplyFloat(parts[0].elems[0])
			out[i].Latitude = geoReplyFloat(parts[0].elems[1])
		}
	}
	return out, nil
}

// ---- command table ----

func init() {
	geoRead := []string{"read", "geo", "slow"}
	geoWrite := []string{"write", "geo", "slow"}
	register(
		&command{name: "geoadd", arity: -5, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 1, step: 1, acl: geoWrite, handler: cmdGeoAdd},
		&command{name: "geodist", arity: -4, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: geoRead, handler: cmdGeoDist},
		&command{name: "geohash", arity: -2, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: geoRead, handler: cmdGeoHash},
		&command{name: "geopos", arity: -2, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: geoRead, handler: cmdGeoPos},
		&command{name: "georadius", arity: -6, flags: flagWrite | flagDenyOOM | flagMovableKeys, firstKey: 1, lastKey: 1, step: 1, acl: geoWrite, handler: cmdGeoRadius},
		&command{name: "georadius_ro", arity: -6, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: geoRead, handler: cmdGeoRadiusRO},
		&command{name: "georadiusbymember", arity: -5, flags: flagWrite | flagDenyOOM | flagMovableKeys, firstKey: 1, lastKey: 1, step: 1, acl: geoWrite, handler: cmdGeoRadiusByMember},
		&command{name: "georadiusbymember_ro", arity: -5, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: geoRead, handler: cmdGeoRadiusByMemberRO},
		&command{name: "geosearch", arity: -7, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: geoRead, handler: cmdGeoSearch},
		&command{name: "geosearchstore", arity: -8, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 2, step: 1, acl: geoWrite, handler: cmdGeoSearchStore},
	)
}

// georadiusKeys returns the positions of the keys of a GEORADIUS or
// GEORADIUSBYMEMBER call: the source key, and the destination of STORE or
// STOREDIST (the last one given wins, as in Redis's georadiusGetKeys). It
// is the movable-keys hook for the lead's key extraction.
func georadiusKeys(args []string) []int {
	pos := []int{1}
	first := 6 // options start after GEORADIUS key long lat radius unit
	if len(args) > 0 && strings.HasPrefix(strings.ToLower(args[0]), "georadiusbymember") {
		first = 5
	}
	store := 0
	for i := first; i+1 < len(args); i++ {
		if eqFold(args[i], "store") || eqFold(args[i], "storedist") {
			store = i + 1
			i++
		}
	}
	if store != 0 {
		pos = append(pos, store)
	}
	return pos
}

// ---- helpers ----

// geoFormatC formats a number as C's "%f" does (six decimals; inf, -inf,
// nan spelled out), for the invalid-pair error.
func geoFormatC(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return strconv.FormatFloat(f, 'f', 6, 64)
}

// geoParseLongLat parses a longitude and a latitude argument and checks
// them against the limits geohashes can encode.
func geoParseLongLat(long, lat string) (x, y float64, errv Value, ok bool) {
	x, ok1 := parseFloat(long)
	if !ok1 {
		return 0, 0, errNotFloat, false
	}
	y, ok2 := parseFloat(lat)
	if !ok2 {
		return 0, 0, errNotFloat, false
	}
	if x < geohash.LongMin || x > geohash.LongMax || y < geohash.LatMin || y > geohash.LatMax {
		return 0, 0, ErrorValue("ERR invalid longitude,latitude pair " + geoFormatC(x) + "," + geoFormatC(y)), false
	}
	return x, y, Value{}, true
}

// geoUnit returns a unit's size in meters (units are case-insensitive).
func geoUnit(u string) (float64, bool) {
	switch {
	case eqFold(u, "m"):
		return 1, true
	case eqFold(u, "km"):
		return 1000, true
	case eqFold(u, "ft"):
		return 0.3048, true
	case eqFold(u, "mi"):
		return 1609.34, true
	}
	return 0, false
}

// geoParseUnit is geoUnit answering ErrGeoUnit.
func geoParseUnit(u string) (float64, Value, bool) {
	f, ok := geoUnit(u)
	if !ok {
		return 0, errValue(ErrGeoUnit), false
	}
	return f, Value{}, true
}

// geoMemberPos returns the decoded position of member of z.
func geoMemberPos(z *zsetType, member string) (long, lat float64, ok bool) {
	score, ok := z.score(member)
	if !ok {
		return 0, 0, false
	}
	long, lat = geohash.DecodeWGS84(geohash.ScoreBits(score))
	return long, lat, true
}

// geoHumanText formats a coordinate as Redis's addReplyHumanLongDouble:
// seventeen decimals ("%.17Lf"), trailing zeros and a trailing point
// removed.
func geoHumanText(f float64) string {
	s := strconv.FormatFloat(f, 'f', 17, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}

// geoCoordValue is a coordinate reply: a bulk string in RESP2 and a double
// in RESP3, both with Redis's "human" text rather than the "%.17g" of
// other doubles. The double carries its text in str: Value.Str returns it
// and the wire writer sends it.
func geoCoordValue(c *call, f float64) Value {
	text := geoHumanText(f)
	if c.resp3() {
		return Value{kind: KindDouble, dbl: f, str: text}
	}
	return BulkValue(text)
}

// geoDistValue is a distance reply: always a bulk string with four
// decimals, in RESP3 too, as Redis 7.0 sends it.
func geoDistValue(d float64) Value { return BulkValue(strconv.FormatFloat(d, 'f', 4, 64)) }

// ---- GEOADD ----

// cmdGeoAdd is GEOADD key [NX|XX] [CH] long lat member [...]: every pair is
// validated first, then the call is ZADD with the hashes as scores.
func cmdGeoAdd(c *call) Value {
	i := 2
	nx, xx := false, false
	for ; i < len(c.args); i++ {
		switch o := c.args[i]; {
		case eqFold(o, "nx"):
			nx = true
		case eqFold(o, "xx"):
			xx = true
		case eqFold(o, "ch"):
		default:
			goto elements
		}
	}
elements:
	if (len(c.args)-i)%3 != 0 || (nx && xx) {
		return errSyntax
	}
	n := (len(c.args) - i) / 3
	zargs := make([]string, 0, i+2*n)
	zargs = append(zargs, "zadd")
	zargs = append(zargs, c.args[1:i]...)
	for j := 0; j < n; j++ {
		a := c.args[i+3*j:]
		x, y, errv, ok := geoParseLongLat(a[0], a[1])
		if !ok {
			return errv
		}
		bits, _ := geohash.EncodeWGS84(x, y)
		zargs = append(zargs, strconv.FormatUint(bits, 10), a[2])
	}
	zc := *c
	zc.args = zargs
	return zaddGeneric(&zc, 0)
}

// ---- GEODIST, GEOHASH, GEOPOS ----

func cmdGeoDist(c *call) Value {
	toMeters := 1.0
	if len(c.args) == 5 {
		f, errv, ok := geoParseUnit(c.args[4])
		if !ok {
			return errv
		}
		toMeters = f
	} else if len(c.args) > 5 {
		return errSyntax
	}
	z, ok := c.lookupZset(c.args[1])
	if !ok {
		return errWrongType
	}
	if z == nil {
		return nullValue
	}
	x1, y1, ok1 := geoMemberPos(z, c.args[2])
	x2, y2, ok2 := geoMemberPos(z, c.args[3])
	if !ok1 || !ok2 {
		return nullValue
	}
	return geoDistValue(geohash.Distance(x1, y1, x2, y2) / toMeters)
}

func cmdGeoHash(c *call) Value {
	z, ok := c.lookupZset(c.args[1])
	if !ok {
		return errWrongType
	}
	out := make([]Value, len(c.args)-2)
	for i, m := range c.args[2:] {
		if z == nil {
			continue // the zero Value is the nil reply
		}
		score, found := z.score(m)
		if !found {
			continue
		}
		out[i] = BulkValue(geohash.String(geohash.ScoreBits(score)))
	}
	return ArrayValue(out...)
}

func cmdGeoPos(c *call) Value {
	z, ok := c.lookupZset(c.args[1])
	if !ok {
		return errWrongType
	}
	out := make([]Value, len(c.args)-2)
	for i, m := range c.args[2:] {
		out[i] = nullArrayValue
		if z == nil {
			continue
		}
		long, lat, found := geoMemberPos(z, m)
		if !found {
			continue
		}
		out[i] = ArrayValue(geoCoordValue(c, long), geoCoordValue(c, lat))
	}
	return ArrayValue(out...)
}

// ---- searches ----

// Kinds of search, as Redis's georadiusGeneric flags.
const (
	geoFromCoords  = 1 << iota // GEORADIUS: centre and radius are positional
	geoFromMember              // GEORADIUSBYMEMBER: member and radius are positional
	geoNoStore                 // the _RO forms: STORE is a syntax error
	geoSearch                  // GEOSEARCH: FROM... and BY... options
	geoSearchStore             // GEOSEARCHSTORE: the destination is argument 1
)

func cmdGeoRadius(c *call) Value { return geoSearchGeneric(c, 1, geoFromCoords) }
func cmdGeoRadiusRO(c *call) Value {
	return geoSearchGeneric(c, 1, geoFromCoords|geoNoStore)
}
func cmdGeoRadiusByMember(c *call) Value { return geoSearchGeneric(c, 1, geoFromMember) }
func cmdGeoRadiusByMemberRO(c *call) Value {
	return geoSearchGeneric(c, 1, geoFromMember|geoNoStore)
}
func cmdGeoSearch(c *call) Value      { return geoSearchGeneric(c, 1, geoSearch) }
func cmdGeoSearchStore(c *call) Value { return geoSearchGeneric(c, 2, geoSearch|geoSearchStore) }

// geoParseRadius parses a radius and its unit.
func geoParseRadius(r, unit string) (radius, conv float64, errv Value, ok bool) {
	radius, ok = parseFloat(r)
	if !ok {
		return 0, 0, errValue(ErrGeoRadiusNotNumber), false
	}
	if radius < 0 {
		return 0, 0, errValue(ErrGeoRadiusNegative), false
	}
	conv, errv, ok = geoParseUnit(unit)
	return radius, conv, errv, ok
}

// geoPoint is one match of a search.
type geoPoint struct {
	long, lat, dist float64 // dist in meters until the reply divides it
	score           float64
	member          string
}

// geoSortOrder values.
const (
	geoSortNone = iota
	geoSortAsc
	geoSortDesc
)

// geoSearchGeneric runs every search command, following Redis's
// georadiusGeneric step for step, so that errors come in the same order:
// the type of the source key; the positional centre and radius; the
// options left to right (each parsed, and a FROMMEMBER resolved, as it is
// met); then the cross-option checks; then the search.
func geoSearchGeneric(c *call, srcIdx int, flags int) Value {
	z, ok := c.lookupZset(c.args[srcIdx])
	if !ok {
		return errWrongType
	}
	var shape geohash.Shape
	var storeKey string
	hasStore := false
	base := 0
	switch {
	case flags&geoFromCoords != 0:
		base = 6
		x, y, errv, ok := geoParseLongLat(c.args[2], c.args[3])
		if !ok {
			return errv
		}
		shape.Long, shape.Lat = x, y
		r, conv, errv, ok := geoParseRadius(c.args[4], c.args[5])
		if !ok {
			return errv
		}
		shape.Radius, shape.Conversion = r, conv
	case flags&geoFromMember != 0:
		base = 5
		if z != nil {
			x, y, found := geoMemberPos(z, c.args[2])
			if !found {
				return errValue(ErrGeoMember)
			}
			shape.Long, shape.Lat = x, y
			r, conv, errv, ok := geoParseRadius(c.args[3], c.args[4])
			if !ok {
				return errv
			}
			shape.Radius, shape.Conversion = r, conv
		}
	default:
		base = 2
		if flags&geoSearchStore != 0 {
			base = 3
			storeKey, hasStore = c.args[1], true
		}
	}

	withDist, withHash, withCoord := false, false, false
	fromMember, fromLoc, byRadius, byBox := false, false, false, false
	anyFlag := false
	sort := geoSortNone
	storeDist := false
	var count int64
	rest := c.args[base:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		left := len(rest) - i - 1 // arguments after this one
		search := flags&geoSearch != 0
		switch {
		case eqFold(a, "withdist"):
			withDist = true
		case eqFold(a, "withhash"):
			withHash = true
		case eqFold(a, "withcoord"):
			withCoord = true
		case eqFold(a, "any"):
			anyFlag = true
		case eqFold(a, "asc"):
			sort = geoSortAsc
		case eqFold(a, "desc"):
			sort = geoSortDesc
		case eqFold(a, "count") && left >= 1:
			n, errv, ok := intArg(rest[i+1])
			if !ok {
				return errv
			}
			if n <= 0 {
				return errValue(ErrGeoCount)
			}
			count = n
			i++
		case (eqFold(a, "store") || eqFold(a, "storedist")) && left >= 1 && flags&(geoNoStore|geoSearch) == 0:
			storeKey, hasStore = rest[i+1], true
			storeDist = eqFold(a, "storedist")
			i++
		case eqFold(a, "storedist") && flags&geoSearchStore != 0:
			storeDist = true
		case eqFold(a, "frommember") && left >= 1 && search && !fromLoc:
			if z != nil {
				x, y, found := geoMemberPos(z, rest[i+1])
				if !found {
					return errValue(ErrGeoMember)
				}
				shape.Long, shape.Lat = x, y
			}
			fromMember = true
			i++
		case eqFold(a, "fromlonlat") && left >= 2 && search && !fromMember:
			x, y, errv, ok := geoParseLongLat(rest[i+1], rest[i+2])
			if !ok {
				return errv
			}
			shape.Long, shape.Lat = x, y
			fromLoc = true
			i += 2
		case eqFold(a, "byradius") && left >= 2 && search && !byBox:
			r, conv, errv, ok := geoParseRadius(rest[i+1], rest[i+2])
			if !ok {
				return errv
			}
			shape.Box, shape.Radius, shape.Conversion = false, r, conv
			byRadius = true
			i += 2
		case eqFold(a, "bybox") && left >= 3 && search && !byRadius:
			w, okw := parseFloat(rest[i+1])
			if !okw {
				return errValue(ErrGeoWidthNotNumber)
			}
			h, okh := parseFloat(rest[i+2])
			if !okh {
				return errValue(ErrGeoHeightNotNumber)
			}
			if h < 0 || w < 0 {
				return errValue(ErrGeoBoxNegative)
			}
			conv, errv, ok := geoParseUnit(rest[i+3])
			if !ok {
				return errv
			}
			shape.Box, shape.Width, shape.Height, shape.Conversion = true, w, h, conv
			byBox = true
			i += 3
		default:
			return errSyntax
		}
	}

	if hasStore && (withDist || withHash || withCoord) {
		if flags&geoSearchStore != 0 {
			return errValue(ErrGeoSearchStoreWith)
		}
		return errValue(ErrGeoRadiusStoreWith)
	}
	if flags&geoSearch != 0 && fromMember == fromLoc {
		return ErrorValue("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + c.args[0])
	}
	if flags&geoSearch != 0 && byRadius == byBox {
		return ErrorValue("ERR exactly one of BYRADIUS and BYBOX can be specified for " + c.args[0])
	}
	if anyFlag && count == 0 {
		return errValue(ErrGeoAnyNeedsCount)
	}

	if z == nil {
		if hasStore {
			c.del(storeKey)
			return IntValue(0)
		}
		return ArrayValue()
	}

	// COUNT without an order means the nearest ones (not with ANY).
	if count != 0 && sort == geoSortNone && !anyFlag {
		sort = geoSortAsc
	}
	limit := 0
	if anyFlag {
		limit = int(min(count, math.MaxInt32))
	}
	// Exact distances cost more; only replies that show, sort or store
	// distances need them (membership is always decided exactly).
	exact := withDist || sort != geoSortNone || storeDist
	points := geoScan(z, &shape, limit, exact)

	if len(points) == 0 && !hasStore {
		return ArrayValue()
	}
	n := len(points)
	if count != 0 && int64(n) > count {
		n = int(count)
	}
	if sort != geoSortNone {
		geoSortPoints(points, n, sort == geoSortDesc)
	}
	points = points[:n]

	if !hasStore {
		out := make([]Value, n)
		for i := range points {
			p := &points[i]
			dist := p.dist / shape.Conversion
			if !withDist && !withHash && !withCoord {
				out[i] = BulkValue(p.member)
				continue
			}
			item := make([]Value, 1, 4)
			item[0] = BulkValue(p.member)
			if withDist {
				item = append(item, geoDistValue(dist))
			}
			if withHash {
				item = append(item, IntValue(int64(p.score)))
			}
			if withCoord {
				item = append(item, ArrayValue(geoCoordValue(c, p.long), geoCoordValue(c, p.lat)))
			}
			out[i] = ArrayValue(item...)
		}
		return ArrayValue(out...)
	}

	if n == 0 {
		c.del(storeKey)
		return IntValue(0)
	}
	pairs := make([]Z, n)
	for i := range points {
		p := &points[i]
		score := p.score
		if storeDist {
			score = p.dist / shape.Conversion
		}
		pairs[i] = Z{Member: p.member, Score: score}
	}
	ev := evGeoRadiusSt
	if flags&geoSearch != 0 {
		ev = evGeoSearchSt
	}
	c.setObject(storeKey, typeZSet, zsetFromPairs(c.s, pairs), ev)
	return IntValue(int64(n))
}

// The keyspace events of the geo commands that store (GEOADD raises
// ZADD's).
var (
	evGeoRadiusSt = keyEvent{classZSet, "georadiusstore"}
	evGeoSearchSt = keyEvent{classZSet, "geosearchstore"}
)

// geoScan returns the members of z inside shape, in Redis's scan order:
// the nine cells in turn (skipping dropped cells and a cell equal to the
// one scanned just before it), each in score order. With limit > 0 it
// stops once limit matches are found (ANY).
func geoScan(z *zsetType, shape *geohash.Shape, limit int, exact bool) []geoPoint {
	cells := geohash.AreasByShape(shape)
	order := cells.Order()
	var points []geoPoint
	last := -1
	for i, cell := range order {
		if cell.IsZero() {
			continue
		}
		// Redis compares with the last scanned cell only from the second
		// scanned cell on (its "last_processed" index starts at 0 and is
		// not checked while 0).
		if last > 0 && cell == order[last] {
			continue
		}
		lo, hi := geohash.CellRange(cell)
		points = geoScanRange(z, shape, float64(lo), float64(hi), points, limit, exact)
		last = i
		if limit > 0 && len(points) >= limit {
			break
		}
	}
	return points
}

// geoScanRange appends the members with lo <= score < hi that lie inside
// shape, with exact distances when exact.
func geoScanRange(z *zsetType, shape *geohash.Shape, lo, hi float64, points []geoPoint, limit int, exact bool) []geoPoint {
	for x := z.zsl.FirstInRange(zindex.ScoreRange{Min: lo, Max: hi, MaxEx: true}); x != nil && x.Score < hi; x = x.Next() {
		long, lat := geohash.DecodeWGS84(geohash.ScoreBits(x.Score))
		dist, in := shape.Contains(long, lat, exact)
		if !in {
			continue
		}
		points = append(points, geoPoint{long: long, lat: lat, dist: dist, score: x.Score, member: x.Member})
		if limit > 0 && len(points) >= limit {
			break
		}
	}
	return points
}

// geoSortPoints sorts points by distance (descending when desc) as Redis
// does, so that even exact ties come out in Redis's order: when all of
// them are returned, with glibc's qsort, which is a stable merge sort
// for arrays this size; when only the first n are (COUNT), with Redis's
// pqsort, a partial Bentley-McIlroy quicksort that is not stable and that
// geoPartialSort reproduces comparison for comparison.
func geoSortPoints(points []geoPoint, n int, desc bool) {
	cmp := func(a, b *geoPoint) int {
		r := 0
		switch {
		case a.dist > b.dist:
			r = 1
		case a.dist < b.dist:
			r = -1
		}
		if desc {
			r = -r
		}
		return r
	}
	if n == len(points) {
		slices.SortStableFunc(points, func(a, b geoPoint) int { return cmp(&a, &b) })
		return
	}
	geoPartialSort(points, 0, len(points), 0, n-1, cmp)
}

// geoPartialSort sorts p[lo:lo+n] enough that the elements whose final
// positions are in [left, right] are in place: the quicksort of Bentley
// and McIlroy ("Engineering a Sort Function", 1993) as BSD libc has it,
// skipping the partitions that do not overlap [left, right], which is the
// algorithm of Redis's pqsort.c. The order of equal elements depends on
// every swap, so the steps follow that algorithm exactly. Unlike some BSD
// versions, it does not switch to insertion sort after a partitioning pass
// that swapped nothing: redis-server 7.0.15 orders ties as if it never
// does, which the differential tests confirm.
func geoPartialSort(p []geoPoint, lo, n, left, right int, cmp func(a, b *geoPoint) int) {
	swap := func(i, j int) { p[i], p[j] = p[j], p[i] }
	// vecswap exchanges the k elements at i with the k elements at j.
	vecswap := func(i, j, k int) {
		for ; k > 0; k-- {
			swap(i, j)
			i++
			j++
		}
	}
	med3 := func(a, b, c int) int {
		if cmp(&p[a], &p[b]) < 0 {
			if cmp(&p[b], &p[c]) < 0 {
				return b
			}
			if cmp(&p[a], &p[c]) < 0 {
				return c
			}
			return a
		}
		if cmp(&p[b], &p[c]) > 0 {
			return b
		}
		if cmp(&p[a], &p[c]) < 0 {
			return a
		}
		return c
	}
	insertion := func(a, n int) {
		for m := a + 1; m < a+n; m++ {
			for l := m; l > a && cmp(&p[l-1], &p[l]) > 0; l-- {
				swap(l, l-1)
			}
		}
	}
	a := lo
	for {
		if n < 7 {
			insertion(a, n)
			return
		}
		pm := a + n/2
		if n > 7 {
			pl, pn := a, a+n-1
			if n > 40 {
				d := n / 8
				pl = med3(pl, pl+d, pl+2*d)
				pm = med3(pm-d, pm, pm+d)
				pn = med3(pn-2*d, pn-d, pn)
			}
			pm = med3(pl, pm, pn)
		}
		swap(a, pm)
		pa, pb := a+1, a+1
		pc, pd := a+n-1, a+n-1
		for {
			for pb <= pc {
				r := cmp(&p[pb], &p[a])
				if r > 0 {
					break
				}
				if r == 0 {
					swap(pa, pb)
					pa++
				}
				pb++
			}
			for pb <= pc {
				r := cmp(&p[pc], &p[a])
				if r < 0 {
					break
				}
				if r == 0 {
					swap(pc, pd)
					pd--
				}
				pc--
			}
			if pb > pc {
				break
			}
			swap(pb, pc)
			pb++
			pc--
		}
		pn := a + n
		r := min(pa-a, pb-pa)
		vecswap(a, pb-r, r)
		r = min(pd-pc, pn-pd-1)
		vecswap(pb, pn-r, r)
		// The elements smaller than the pivot: sort them when they
		// overlap [left, right].
		if r := pb - pa; r > 1 && !(right < a || left > a+r-1) {
			geoPartialSort(p, a, r, left, right, cmp)
		}
		// The larger ones: iterate.
		r = pd - pc
		if r <= 1 {
			return
		}
		a, n = pn-r, r
		if right < a || left > a+r-1 {
			return
		}
	}
}
