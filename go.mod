module github.com/embedis/embedis

go 1.26

require (
	github.com/cespare/xxhash/v2 v2.3.0
	github.com/yuin/gopher-lua v1.1.2
)

require (
	github.com/stretchr/testify v1.12.1 // indirect
	go.uber.org/goleak v1.3.0 // indirect
)
