//go:build unix

// Package cputime reads the process's CPU time, so that benchmarks on a
// shared machine can report throughput per CPU-second as well as per
// wall-clock second (the first stays meaningful under other jobs' load).
package cputime

import (
	"syscall"
	"time"
)

// Process is the process's user + system CPU time so far; 0 when unknown.
func Process() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
