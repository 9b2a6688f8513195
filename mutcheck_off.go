//go:build !embedischeck

package embedis

// mutationCheck is off in normal builds: the check costs a digest of every
// key per request. Build with -tags embedischeck to turn it on.
const mutationCheck = false
