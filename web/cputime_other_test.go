//go:build !unix

package web

import "time"

// cpuTime is unknown here; benchmarks then report wall-time throughput only.
func cpuTime() time.Duration { return 0 }
