package lua_test

import (
	"context"
	"fmt"

	"github.com/embedis/embedis/lua"
)

// mapHost is the smallest Host: GET and SET on a map.
type mapHost map[string]string

func (h mapHost) Call(c *lua.Call) lua.Reply {
	switch {
	case c.Args[0] == "SET" && len(c.Args) == 3:
		if c.ReadOnly {
			return lua.Error(lua.ErrWriteInReadOnly)
		}
		if !c.BeginWrite() {
			return lua.Error("ERR killed")
		}
		h[c.Args[1]] = c.Args[2]
		return lua.Status("OK")
	case c.Args[0] == "GET" && len(c.Args) == 2:
		v, ok := h[c.Args[1]]
		if !ok {
			return lua.Null()
		}
		return lua.Bulk(v)
	}
	return lua.Error(lua.ErrUnknownCommand)
}

func (h mapHost) Log(level lua.LogLevel, msg string) {}

func Example() {
	e := lua.NewEngine(lua.Options{})
	defer e.Close()
	host := mapHost{}
	ctx := context.Background()

	keys, argv, _ := lua.SplitKeys("1", []string{"greeting", "hello"})
	fmt.Println(e.Eval(ctx, host, "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])", keys, argv, lua.RunOptions{}))
	fmt.Println(e.Eval(ctx, host, "return {1, 2.9, 'x', true, false, {ok='fine'}}", nil, nil, lua.RunOptions{}))
	fmt.Println(e.Eval(ctx, host, "return redis.call('SET', 'k', 'v')", nil, nil, lua.RunOptions{ReadOnly: true}))

	lib, _ := e.FunctionLoad(ctx, host, "#!lua name=mylib\nredis.register_function('hi', function(keys, args) return 'hi ' .. args[1] end)", false)
	fmt.Println(lib, e.FCall(ctx, host, "hi", nil, []string{"there"}, lua.RunOptions{}))
	// Output:
	// "hello"
	// [:1 :2 "x" :1 (nil) +fine]
	// -ERR Write commands are not allowed from read-only scripts. script: 5c4d62f4e30c54fb15935b5892148e5ce7374077, on @user_script:1.
	// mylib "hi there"
}
