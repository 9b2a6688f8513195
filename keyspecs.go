package embedis

// keyFinders find the keys of the commands whose key positions depend on
// their arguments (Redis's getkeys procedures): numkeys-style commands,
// XREAD's STREAMS, SORT's and GEORADIUS's STORE. COMMAND GETKEYS, and
// anything else that needs a call's keys, asks here before the row's fixed
// first/last/step. Keyed by row name; consulted by name, so the table stays
// the one place a command is defined.
var keyFinders = map[string]func(args []string) []int{
	"lmpop":             func(a []string) []int { return numkeysKeys(a, 1, 0) },
	"blmpop":            func(a []string) []int { return numkeysKeys(a, 2, 0) },
	"zmpop":             func(a []string) []int { return numkeysKeys(a, 1, 0) },
	"bzmpop":            func(a []string) []int { return numkeysKeys(a, 2, 0) },
	"sintercard":        func(a []string) []int { return numkeysKeys(a, 1, 0) },
	"zintercard":        func(a []string) []int { return numkeysKeys(a, 1, 0) },
	"zunion":            func(a []string) []int { return numkeysKeys(a, 1, 0) },
	"zinter":            func(a []string) []int { return numkeysKeys(a, 1, 0) },
	"zdiff":             func(a []string) []int { return numkeysKeys(a, 1, 0) },
	"zunionstore":       func(a []string) []int { return numkeysKeys(a, 2, 1) },
	"zinterstore":       func(a []string) []int { return numkeysKeys(a, 2, 1) },
	"zdiffstore":        func(a []string) []int { return numkeysKeys(a, 2, 1) },
	"eval":              func(a []string) []int { return numkeysKeys(a, 2, 0) },
	"evalsha":           func(a []string) []int { return numkeysKeys(a, 2, 0) },
	"eval_ro":           func(a []string) []int { return numkeysKeys(a, 2, 0) },
	"evalsha_ro":        func(a []string) []int { return numkeysKeys(a, 2, 0) },
	"fcall":             func(a []string) []int { return numkeysKeys(a, 2, 0) },
	"fcall_ro":          func(a []string) []int { return numkeysKeys(a, 2, 0) },
	"xread":             xreadKeyPositions,
	"xreadgroup":        xreadKeyPositions,
	"sort":              sortKeys,
	"sort_ro":           sortKeys,
	"georadius":         georadiusKeys,
	"georadiusbymember": georadiusKeys,
}

// numkeysKeys returns the positions of the keys of a call whose keys follow
// a numkeys argument at args[idx], after an optional fixed key at
// args[dest] (dest 0: none), as Redis's numkeys getkeys procedures do: no
// keys at all when numkeys is not an integer between 1 and the number of
// arguments left.
func numkeysKeys(args []string, idx, dest int) []int {
	if idx >= len(args) {
		return nil
	}
	n, ok := parseInt(args[idx])
	if !ok || n < 1 || n > int64(len(args)-idx-1) {
		return nil
	}
	pos := make([]int, 0, n+1)
	if dest != 0 {
		pos = append(pos, dest)
	}
	for i := 0; i < int(n); i++ {
		pos = append(pos, idx+1+i)
	}
	return pos
}
