package embedis

import (
	"os"
	"strconv"
)

func init() {
	if v, err := strconv.Atoi(os.Getenv("SP_POLLS")); err == nil {
		spinPolls = v
	}
	if v, err := strconv.Atoi(os.Getenv("SP_EXEC")); err == nil {
		execSpinRounds = v
	}
	if v, err := strconv.Atoi(os.Getenv("SP_CALL")); err == nil {
		callSpinRounds = v
	}
}
