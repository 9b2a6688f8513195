package lua

import (
	"context"
	"os/exec"
	"strings"
	"testing"
)

func BenchmarkEval(b *testing.B) {
	e := newEngine(b)
	h := newFakeHost()
	h.data["k"] = "v"
	ctx := context.Background()
	keys := []string{"k"}
	b.Run("get", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if r := e.Eval(ctx, h, "return redis.call('get', KEYS[1])", keys, nil, RunOptions{}); r.Kind != KindBulk {
				b.Fatal(r)
			}
		}
	})
	b.Run("return", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e.Eval(ctx, h, "return 1", nil, nil, RunOptions{})
		}
	})
	b.Run("loop100", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e.Eval(ctx, h, "local n = 0 for i = 1, 100 do n = n + i end return n", nil, nil, RunOptions{})
		}
	})
}

func BenchmarkFCall(b *testing.B) {
	e := newEngine(b)
	h := newFakeHost()
	h.data["k"] = "v"
	if _, err := e.FunctionLoad(context.Background(), nil, "#!lua name=b\nredis.register_function('get', function(keys) return redis.call('get', keys[1]) end)", false); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	keys := []string{"k"}
	b.ReportAllocs()
	for b.Loop() {
		e.FCall(ctx, h, "get", keys, nil, RunOptions{})
	}
}

// TestImportsPointOneWay keeps the lua package free of the root package.
func TestImportsPointOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "github.com/embedis/embedis" {
			t.Fatal("package lua imports the root package")
		}
	}
}
