package embedis

import (
	"github.com/embedis/embedis/internal/digest"
)

// DEBUG DIGEST and DEBUG DIGEST-VALUE, computed as Redis 7.0 computes them
// (internal/digest), so a test can compare a whole dataset with a
// redis-server's in one call.

// feedDigest feeds e's value into a digest builder of its type.
func feedDigest(e *entry, b *digest.Builder) {
	switch e.typ {
	case typeString:
		b.String(e.str)
	case typeList:
		l := e.obj.(*list)
		for i := 0; i < l.d.Len(); i++ {
			b.ListElement(l.d.At(i))
		}
	case typeSet:
		for m := range e.obj.(*setType).all() {
			b.SetMember(m)
		}
	case typeZSet:
		z := e.obj.(*zsetType)
		for n := z.zsl.First(); n != nil; n = n.Next() {
			b.ZSetMember(n.Member, n.Score)
		}
	case typeHash:
		for f, v := range e.obj.(*hashType).all() {
			b.HashField(f, v)
		}
	case typeStream:
		e.obj.(*stream).entries.Ascend(func(se *streamEntry) bool {
			b.StreamEntry(se.id.Ms, se.id.Seq)
			for i := 0; i+1 < len(se.fields); i += 2 {
				b.StreamField(se.fields[i], se.fields[i+1])
			}
			return true
		})
	}
}

// digestType maps a value type to the digest's type number (Redis's
// OBJ_* constant).
func digestType(t valueType) digest.Type {
	switch t {
	case typeList:
		return digest.TypeList
	case typeSet:
		return digest.TypeSet
	case typeZSet:
		return digest.TypeZSet
	case typeHash:
		return digest.TypeHash
	case typeStream:
		return digest.TypeStream
	}
	return digest.TypeString
}

// datasetDigest is DEBUG DIGEST: every key of every database, including
// keys that have expired but are still stored, as Redis counts them.
func (s *Store) datasetDigest() digest.Digest {
	var ds digest.Dataset
	for _, d := range s.dbs {
		d.keys.All(func(key string, e *entry) bool {
			b := digest.NewKey(key, digestType(e.typ))
			feedDigest(e, b)
			ds.AddKeyDigest(d.id, b.Sum(e.expire != 0))
			return true
		})
	}
	return ds.Sum()
}

// valueDigest is DEBUG DIGEST-VALUE of one entry; nil gives 40 zeros.
func valueDigest(e *entry) digest.Digest {
	if e == nil {
		return digest.Digest{}
	}
	b := digest.NewValue(digestType(e.typ))
	feedDigest(e, b)
	return b.Sum(e.expire != 0)
}
