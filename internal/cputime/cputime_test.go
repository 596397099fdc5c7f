package cputime

import (
	"runtime"
	"testing"
)

func TestProcessAdvancesWithWork(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no process CPU time on " + runtime.GOOS)
	}
	start := Process()
	x := 0
	for i := 0; Process()-start <= 0 && i < 1e9; i++ {
		x += i % 7
	}
	if Process() <= start {
		t.Fatalf("CPU time did not advance after busy work (%d)", x)
	}
}
