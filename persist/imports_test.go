package persist_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsPointOneWay keeps persist and persisttest free of the root
// package and of every other embedis package: backends are neutral.
func TestImportsPointOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".", "./persisttest").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/embedis/embedis") && !strings.HasPrefix(dep, "github.com/embedis/embedis/persist") {
			t.Fatalf("persist depends on %s", dep)
		}
	}
}
