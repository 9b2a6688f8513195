package digest_test

import (
	"fmt"

	"github.com/embedis/embedis/internal/digest"
)

// The digests of a dataset holding one string key, as redis-server 7.0.15
// prints them for SET k v (then EXPIRE k 1000).
func Example() {
	fmt.Println(digest.OfValue(digest.String("v"), false)) // DEBUG DIGEST-VALUE k

	var ds digest.Dataset
	ds.Add(0, "k", digest.String("v"), false)
	fmt.Println(ds.Sum()) // DEBUG DIGEST

	var withTTL digest.Dataset
	withTTL.Add(0, "k", digest.String("v"), true)
	fmt.Println(withTTL.Sum())

	// A value too large to copy is fed piece by piece.
	b := digest.NewKey("k", digest.TypeString)
	b.String("v")
	var streamed digest.Dataset
	streamed.AddKeyDigest(0, b.Sum(false))
	fmt.Println(streamed.Sum() == ds.Sum())
	// Output:
	// d79ee9fe5d5ad902d7f6620efc3b07b75ddd742f
	// 264ccf65edec66bccfa7cc659414ccca432057d2
	// bf83f210388eea94f06fb90d517490e16a08d7dd
	// true
}
