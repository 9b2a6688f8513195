package lua

import glua "github.com/yuin/gopher-lua"

func openCmsgpack(L *glua.LState) *glua.LTable { return L.NewTable() }
