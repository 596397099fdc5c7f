//go:build !unix

package ingest

import "time"

// cpuTime is unknown here; benchmarks then report wall-time throughput only.
func cpuTime() time.Duration { return 0 }
