//go:build embedischeck

package embedis

// mutationCheck turns on the coverage check of the mutation path (see
// mutate.go and mutcheck.go). Build with -tags embedischeck.
const mutationCheck = true
