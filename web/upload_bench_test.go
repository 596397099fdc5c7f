package web

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rastro/rastro/intake"
	"github.com/rastro/rastro/vault"
)

// BenchmarkUploadRaw uploads a 32 MiB raw body through the API into a vault
// on disk. B/op far below the body size shows that the upload is streamed,
// not held in memory.
func BenchmarkUploadRaw(b *testing.B) {
	f := newFixture(b)
	fsb, err := vault.NewFSBackend(b.TempDir())
	must(b, err)
	kr, err := vault.NewKeyring(fsb, bytes.Repeat([]byte{9}, vault.KeySize))
	must(b, err)
	v := vault.New(fsb, kr)
	in := WithUploadLimits(&intake.Service{Vault: v, Store: f.db}, UploadLimits{TempDir: b.TempDir()})
	f.srv = New(Config{Version: "test", Now: func() time.Time { return f.now }, Blobs: v, Intake: in}, f.db, slog.New(slog.DiscardHandler))
	f.h = f.srv.Handler()
	secret, _ := f.apiToken(f.users["investigator-m"], "write")
	content := bytes.Repeat([]byte("fictional evidence bytes "), 32<<20/25)
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/v1/cases/"+itoa(f.caseID)+"/evidence?name=big.bin", bytes.NewReader(content))
		req.Header.Set("Authorization", "Bearer "+secret)
		if res := f.do(req); res.StatusCode >= 300 {
			b.Fatalf("upload: %d", res.StatusCode)
		}
	}
}
