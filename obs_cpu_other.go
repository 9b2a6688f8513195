//go:build !unix

package embedis

// processCPU is not measured on this platform: INFO cpu reports zeros.
func processCPU() (sys, user float64) { return 0, 0 }
