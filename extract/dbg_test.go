package extract

import (
	"testing"
	"time"
)

func TestDbg(t *testing.T) {
	tr, dir := generate(t, "small")
	t0 := time.Now()
	files := textFiles(t, tr, dir)
	t.Logf("gen+read %v", time.Since(t0))
	var n int
	for _, f := range files {
		t1 := time.Now()
		Scan(f.data, Options{Region: "MX"})
		if d := time.Since(t1); d > 200*time.Millisecond {
			t.Logf("%s %d bytes %v", f.path, len(f.data), d)
		}
		n += len(f.data)
	}
	t.Logf("total %d bytes scan %v", n, time.Since(t0))
}
