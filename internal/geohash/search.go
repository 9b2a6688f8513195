package geohash

import "math"

// Shape is the area of a GEOSEARCH or GEORADIUS: a circle of Radius, or an
// axis-aligned box of Width by Height, around the point (Long, Lat). The
// sizes are in the query's unit; Conversion is the unit in meters (1 for
// m, 1000 for km, 0.3048 for ft, 1609.34 for mi). Redis keeps the sizes in
// the unit and multiplies by Conversion at each use, and so does this
// package, so that every comparison rounds as Redis's does.
type Shape struct {
	Long, Lat     float64
	Box           bool
	Radius        float64 // circle
	Width, Height float64 // box
	Conversion    float64

	cos    float64 // cos of Lat, once computed
	cosSet bool
}

// boundingBox returns the longitude and latitude limits of the shape. A
// degree of longitude shrinks away from the equator; Redis measures the
// longitude extent at the top edge in the northern hemisphere and at the
// bottom edge in the southern, and so does this.
func (s *Shape) boundingBox() (minLong, minLat, maxLong, maxLat float64) {
	var height, width float64
	if s.Box {
		height = s.Conversion * (s.Height / 2)
		width = s.Conversion * (s.Width / 2)
	} else {
		height = s.Conversion * s.Radius
		width = s.Conversion * s.Radius
	}
	latDelta := radDeg(height / EarthRadius)
	longDeltaTop := radDeg(width / EarthRadius / math.Cos(degRad(s.Lat+latDelta)))
	longDeltaBottom := radDeg(width / EarthRadius / math.Cos(degRad(s.Lat-latDelta)))
	if s.Lat < 0 {
		minLong, maxLong = s.Long-longDeltaBottom, s.Long+longDeltaBottom
	} else {
		minLong, maxLong = s.Long-longDeltaTop, s.Long+longDeltaTop
	}
	return minLong, s.Lat - latDelta, maxLong, s.Lat + latDelta
}

// estimateSteps picks the grid step whose cells are about as large as the
// search radius, so the centre cell and its eight neighbours cover it.
func estimateSteps(rangeMeters, lat float64) uint8 {
	if rangeMeters == 0 {
		return 26
	}
	step := 1
	for rangeMeters < mercatorMax {
		rangeMeters *= 2
		step++
	}
	step -= 2 // make sure the range is covered in most cases
	// Cells narrow towards the poles: use larger ones there.
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	return uint8(min(max(step, 1), 26))
}

// Cells are the cells a search scans: the cell of the centre point and its
// eight neighbours, some of which may be zero (not needed).
type Cells struct {
	Hash      Hash
	Neighbors Neighbors
	Area      Area // of Hash
}

// Order returns the nine cells in the order Redis scans them: centre,
// north, south, east, west, north-east, north-west, south-east, south-west.
// The order of a search's unsorted reply follows from it.
func (c *Cells) Order() [9]Hash {
	n := &c.Neighbors
	return [9]Hash{c.Hash, n.North, n.South, n.East, n.West, n.NorthEast, n.NorthWest, n.SouthEast, n.SouthWest}
}

// AreasByShape returns the cells that cover the shape, as Redis's
// geohashCalculateAreasByShapeWGS84: a step estimated from the radius (the
// half diagonal of a box), one step coarser when a neighbour does not
// reach the edge of the bounding box, and the neighbours that lie wholly
// outside the bounding box dropped.
func AreasByShape(s *Shape) Cells {
	minLong, minLat, maxLong, maxLat := s.boundingBox()
	var radius float64
	if s.Box {
		radius = math.Sqrt(float64((s.Width/2)*(s.Width/2)) + float64((s.Height/2)*(s.Height/2)))
	} else {
		radius = s.Radius
	}
	radius *= s.Conversion

	steps := estimateSteps(radius, s.Lat)
	hash, _ := Encode(LongRange, LatRange, s.Long, s.Lat, steps)
	neighbors := NeighborsOf(hash)
	area, _ := Decode(LongRange, LatRange, hash)

	// Near the edge of the centre cell, the estimated step may leave a
	// neighbour too small to reach the edge of the search area.
	decrease := false
	{
		north, _ := Decode(LongRange, LatRange, neighbors.North)
		south, _ := Decode(LongRange, LatRange, neighbors.South)
		east, _ := Decode(LongRange, LatRange, neighbors.East)
		west, _ := Decode(LongRange, LatRange, neighbors.West)
		if north.Lat.Max < maxLat || south.Lat.Min > minLat || east.Long.Max < maxLong || west.Long.Min > minLong {
			decrease = true
		}
	}
	if steps > 1 && decrease {
		steps--
		hash, _ = Encode(LongRange, LatRange, s.Long, s.Lat, steps)
		neighbors = NeighborsOf(hash)
		area, _ = Decode(LongRange, LatRange, hash)
	}

	// Drop the neighbours the search area cannot reach.
	if steps >= 2 {
		n := &neighbors
		if area.Lat.Min < minLat {
			n.South, n.SouthWest, n.SouthEast = Hash{}, Hash{}, Hash{}
		}
		if area.Lat.Max > maxLat {
			n.North, n.NorthEast, n.NorthWest = Hash{}, Hash{}, Hash{}
		}
		if area.Long.Min < minLong {
			n.West, n.SouthWest, n.NorthWest = Hash{}, Hash{}, Hash{}
		}
		if area.Long.Max > maxLong {
			n.East, n.SouthEast, n.NorthEast = Hash{}, Hash{}, Hash{}
		}
	}
	return Cells{Hash: hash, Neighbors: neighbors, Area: area}
}

// Contains reports whether the point (long, lat) lies in the shape, and
// its distance in meters from the shape's centre. For a box, the point is
// inside when its east-west distance (along its own parallel) is at most
// half the width and its north-south distance at most half the height.
//
// The decision is always Redis's: a point is judged with the fast
// distance when that is clearly inside or outside, and with the exact one
// (Redis's very double) when it is within a hair of the edge. The distance
// returned is the exact one when exact is true, and may be the fast
// approximation (off in the last digits) otherwise: callers that reply
// with distances, sort by them or store them ask for exact ones.
func (s *Shape) Contains(long, lat float64, exact bool) (dist float64, ok bool) {
	// A point is at least its latitude difference away (the haversine
	// term of the latitudes alone): most points outside the area are
	// rejected with that, without trigonometry.
	dLat := EarthRadius * math.Abs(degRad(lat)-degRad(s.Lat))
	if !s.Box {
		r := s.Radius * s.Conversion
		if dLat > r+nearEdge(r) {
			return 0, false
		}
		d := distanceFast(s.Long, s.Lat, long, lat)
		switch m := nearEdge(r); {
		case d > r+m:
			return 0, false
		case d < r-m && !exact:
			return d, true
		}
		d = distance(s.Long, s.Lat, long, lat, s.cosLat())
		if d > r {
			return 0, false
		}
		return d, true
	}
	halfW, halfH := s.Width*s.Conversion/2, s.Height*s.Conversion/2
	mw, mh := nearEdge(halfW), nearEdge(halfH)
	if dLat > halfH+mh {
		return 0, false
	}
	dLat = distanceFast(long, lat, long, s.Lat)
	dLong := distanceFast(long, lat, s.Long, lat)
	if dLong > halfW+mw || dLat > halfH+mh {
		return 0, false
	}
	if dLong > halfW-mw && Distance(long, lat, s.Long, lat) > halfW {
		return 0, false
	}
	if dLat > halfH-mh && Distance(long, lat, long, s.Lat) > halfH {
		return 0, false
	}
	if !exact {
		return distanceFast(s.Long, s.Lat, long, lat), true
	}
	return distance(s.Long, s.Lat, long, lat, s.cosLat()), true
}

// nearEdge is how far from a limit of d meters the fast distance must be
// to decide alone. Go's functions are within a few ulps of the exact ones,
// but asin near 1 (points near the antipode) amplifies an error of one ulp
// to about 1e-8 of the distance: the margin covers that with room to
// spare.
func nearEdge(d float64) float64 { return d*1e-7 + 1e-3 }

// cosLat returns the cosine of the centre's latitude, computed once.
func (s *Shape) cosLat() float64 {
	if !s.cosSet {
		s.cos, s.cosSet = crCos(degRad(s.Lat)), true
	}
	return s.cos
}
