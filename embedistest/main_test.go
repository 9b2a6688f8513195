package embedistest_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the tests if a goroutine outlives them: the stores and
// listeners the helpers open must all be gone by then.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
