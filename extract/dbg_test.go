package extract

import (
	"os"
	"testing"
)

func BenchmarkDbgFile(b *testing.B) {
	data, err := os.ReadFile(os.Getenv("DBG_FILE"))
	if err != nil {
		b.Skip()
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Scan(data, Options{Region: "MX"})
	}
}
