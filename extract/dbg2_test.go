package extract

import (
	"os"
	"testing"
)

func TestDbgPend(t *testing.T) {
	data, err := os.ReadFile(os.Getenv("DBG_FILE"))
	if err != nil {
		t.Skip()
	}
	s := newScan(data, Options{Region: "MX", Decoys: true}, 0, nil)
	s.run()
	n := 0
	for _, x := range s.out {
		if x.Kind == KindPhone {
			n++
			if n < 15 {
				t.Logf("%q %q %v %s", x.Raw, x.Value, x.Valid, x.Context)
			}
		}
	}
	t.Logf("phones %d cache %d", n, len(s.ph.cache))
}
