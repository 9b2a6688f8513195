package embedis

import "fmt"

// checkInvariants verifies the store's internal consistency and returns the
// first violation. It runs on the executor goroutine; tests call it through
// the harness after every test.
func (s *Store) checkInvariants() error {
	for _, d := range s.dbs {
		var err error
		withTTL := 0
		d.keys.All(func(key string, e *entry) bool {
			if e.typ == 0 {
				err = fmt.Errorf("db %d: key %q has no type", d.id, key)
				return false
			}
			if e.typ == typeString && e.obj != nil {
				err = fmt.Errorf("db %d: string key %q has an object", d.id, key)
				return false
			}
			if o, ok := e.obj.(checker); ok {
				if cerr := o.checkInvariants(); cerr != nil {
					err = fmt.Errorf("db %d: key %q: %w", d.id, key, cerr)
					return false
				}
			}
			if e.expire != 0 {
				withTTL++
				if d.expires.Get(key) == nil {
					err = fmt.Errorf("db %d: key %q has a TTL but is not in the expires index", d.id, key)
					return false
				}
			}
			return true
		})
		if err != nil {
			return err
		}
		if withTTL != d.expires.Len() {
			return fmt.Errorf("db %d: %d keys have a TTL but the expires index has %d", d.id, withTTL, d.expires.Len())
		}
	}
	return s.checkPersistInvariants() // persistence.go
}
