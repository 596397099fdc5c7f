package s3

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/vault"
	"github.com/rastro/rastro/vault/vaulttest"
)

const testBucket = "evidence"

// fixture is a gofakes3 server with one bucket, a backend on it and a plain
// S3 client to look behind the backend's back.
type fixture struct {
	endpoint string // http://host:port
	b        *Backend
	raw      *minio.Client
	gets     atomic.Int64 // GET requests on objects, to check read-ahead
}

// newFixture starts an in-process S3 server and a backend on it. streamAll
// makes every non-empty object take the multipart-and-copy path.
func newFixture(tb testing.TB, prefix string, streamAll bool) *fixture {
	tb.Helper()
	f := &fixture{}
	srv := httptest.NewUnstartedServer(f.count(ifMatchOnGet(gofakes3.New(s3mem.New(), gofakes3.WithLogger(gofakes3.DiscardLog())).Server())))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // gofakes3 writes some error headers twice
	srv.Start()
	tb.Cleanup(srv.Close)
	endpoint := strings.TrimPrefix(srv.URL, "http://")
	raw, err := minio.New(endpoint, &minio.Options{Creds: credentials.NewStaticV4("test", "test", ""), Region: "us-east-1"})
	if err != nil {
		tb.Fatal(err)
	}
	if err := raw.MakeBucket(context.Background(), testBucket, minio.MakeBucketOptions{}); err != nil {
		tb.Fatal(err)
	}
	f.raw, f.endpoint = raw, srv.URL
	f.b, err = New(context.Background(), Config{Endpoint: srv.URL, Bucket: testBucket, Prefix: prefix,
		AccessKey: "test", SecretKey: "test", Region: "us-east-1", PartSize: MinPartSize, ReadAhead: 1 << 20})
	if err != nil {
		tb.Fatal(err)
	}
	if streamAll {
		f.b.inlineMax = 0
	}
	return f
}

// count counts object GETs.
func (f *fixture) count(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Count(strings.Trim(r.URL.Path, "/"), "/") > 0 {
			f.gets.Add(1)
		}
		h.ServeHTTP(w, r)
	})
}

// ifMatchOnGet adds what gofakes3 lacks and S3 does: a GET whose If-Match
// names another ETag than the object's fails with 412.
func ifMatchOnGet(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if want := r.Header.Get("If-Match"); r.Method == http.MethodGet && want != "" {
			head := httptest.NewRecorder()
			h.ServeHTTP(head, httptest.NewRequestWithContext(r.Context(), http.MethodHead, r.URL.String(), nil))
			if got := head.Header().Get("ETag"); head.Code == http.StatusOK && got != want {
				w.WriteHeader(http.StatusPreconditionFailed)
				io.WriteString(w, `<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>`)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// rawKeys lists every key in the bucket, temporary ones included.
func (f *fixture) rawKeys(tb testing.TB) []string {
	tb.Helper()
	keys := []string{}
	for obj := range f.raw.ListObjectsIter(context.Background(), testBucket, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			tb.Fatal(obj.Err)
		}
		keys = append(keys, obj.Key)
	}
	return keys
}

func TestBackendContract(t *testing.T) {
	tests := []struct {
		name      string
		prefix    string
		streamAll bool
	}{
		{"single PUT", "", false},
		{"multipart and copy", "", true},
		{"under a prefix", "tenant-a/rastro", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vaulttest.Backend(t, func(t *testing.T) vault.Backend { return newFixture(t, tt.prefix, tt.streamAll).b })
		})
	}
}

func TestPrefixKeepsOtherKeysOut(t *testing.T) {
	f := newFixture(t, "tenant-a", false)
	ctx := t.Context()
	put(t, f.b, "keys/case-1.json", []byte("wrapped"))
	if _, err := f.raw.PutObject(ctx, testBucket, "tenant-b/keys/case-9.json", strings.NewReader("other"), 5, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"tenant-a/keys/case-1.json", "tenant-b/keys/case-9.json"}, f.rawKeys(t)); diff != "" {
		t.Errorf("bucket keys (-want +got):\n%s", diff)
	}
	got, err := f.b.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"keys/case-1.json"}, got); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
}

// put commits one object with replace=false.
func put(tb testing.TB, b *Backend, name string, data []byte) {
	tb.Helper()
	tmp, err := b.Create(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	defer tmp.Abort()
	if _, err := tmp.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := tmp.Commit(context.Background(), name, false); err != nil {
		tb.Fatal(err)
	}
}

func TestConcurrentCreatesOfOneKeyHaveOneWinner(t *testing.T) {
	f := newFixture(t, "", false)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tmp, err := f.b.Create(t.Context())
			if err != nil {
				errs[i] = err
				return
			}
			defer tmp.Abort()
			tmp.Write([]byte{byte('a' + i)})
			errs[i] = tmp.Commit(t.Context(), "keys/case-1.json", false)
		})
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("nodes %d and %d both created keys/case-1.json", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, vault.ErrExist):
			t.Fatalf("node %d: %v, want nil or ErrExist", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no node created keys/case-1.json")
	}
	if got := readAll(t, f.b, "keys/case-1.json"); string(got) != string(rune('a'+winner)) {
		t.Errorf("stored %q, want the winner's %q", got, string(rune('a'+winner)))
	}
}

// readAll reads a committed object whole.
func readAll(tb testing.TB, b *Backend, name string) []byte {
	tb.Helper()
	o, err := b.Open(context.Background(), name)
	if err != nil {
		tb.Fatal(err)
	}
	defer o.Close()
	data, err := io.ReadAll(io.NewSectionReader(o, 0, o.Size()))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestAbortedStreamLeavesNothing(t *testing.T) {
	f := newFixture(t, "", false)
	tmp, err := f.b.Create(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte{7}, 1<<20)
	for range 12 { // past two parts: the upload is under way
		if _, err := tmp.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := tmp.Abort(); err != nil {
		t.Fatal(err)
	}
	if keys := f.rawKeys(t); len(keys) != 0 {
		t.Errorf("bucket holds %v after Abort, want nothing", keys)
	}
	ups, err := f.b.incompleteUploads(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, up := range ups {
		t.Errorf("incomplete upload %s left after Abort", up.Key)
	}
}

func TestTooLargeFailsEarly(t *testing.T) {
	f := newFixture(t, "", false)
	f.b.maxSize = 6 << 20 // stands for 10,000 parts
	tmp, err := f.b.Create(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Abort()
	chunk := make([]byte, 1<<20)
	for i := range 7 {
		_, err = tmp.Write(chunk)
		if (err != nil) != (i == 6) {
			t.Fatalf("Write of MiB %d: %v", i+1, err)
		}
	}
	if rastro.ErrorCode(err) != rastro.EINVALID || !strings.Contains(err.Error(), "part size") {
		t.Errorf("Write past the limit: %v, want invalid, saying to raise the part size", err)
	}
	tmp.Abort()
	if keys := f.rawKeys(t); len(keys) != 0 {
		t.Errorf("bucket holds %v, want nothing", keys)
	}
}

func TestCommitRemovesTemporaryObject(t *testing.T) {
	f := newFixture(t, "", true)
	put(t, f.b, "blobs/case-1/aa/a1", bytes.Repeat([]byte("x"), 6<<20))
	if diff := cmp.Diff([]string{"blobs/case-1/aa/a1"}, f.rawKeys(t)); diff != "" {
		t.Errorf("bucket keys after a streamed commit (-want +got):\n%s", diff)
	}
}

func TestObjectReplacedWhileOpenFails(t *testing.T) {
	f := newFixture(t, "", false)
	ctx := t.Context()
	put(t, f.b, "blobs/x", bytes.Repeat([]byte("old "), 1000))
	o, err := f.b.Open(ctx, "blobs/x")
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if _, err := f.raw.PutObject(ctx, testBucket, "blobs/x", strings.NewReader(strings.Repeat("new ", 1000)), 4000, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = o.ReadAt(make([]byte, 10), 0)
	if code := rastro.ErrorCode(err); code != rastro.ECONFLICT {
		t.Errorf("ReadAt of a replaced object: %v (code %q), want conflict", err, code)
	}
}

func TestSequentialReadsShareOneRequest(t *testing.T) {
	f := newFixture(t, "", false)
	data := bytes.Repeat([]byte("0123456789abcdef"), 256<<10) // 4 MiB
	put(t, f.b, "blobs/seq", data[:4<<20])
	o, err := f.b.Open(t.Context(), "blobs/seq")
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	before := f.gets.Load()
	got := make([]byte, 0, len(data))
	p := make([]byte, 64<<10+16) // one vault chunk with its tag
	for off := int64(0); off < o.Size(); {
		n, err := o.ReadAt(p, off)
		got = append(got, p[:n]...)
		off += int64(n)
		if err != nil && !(errors.Is(err, io.EOF) && off == o.Size()) {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, data) {
		t.Fatal("sequential reads returned other bytes")
	}
	// 4 MiB with 1 MiB read-ahead: 4 or 5 GETs, not one per 64 KiB chunk.
	if n := f.gets.Load() - before; n > 5 {
		t.Errorf("%d GET requests for 4 MiB read sequentially, want at most 5", n)
	}
}

func TestRemoveStaleTemp(t *testing.T) {
	f := newFixture(t, "rastro", false)
	ctx := t.Context()
	if _, err := f.raw.PutObject(ctx, testBucket, "rastro/tmp~/dead", strings.NewReader("partial"), 7, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	put(t, f.b, "keys/case-1.json", []byte("k"))
	names, err := f.b.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"keys/case-1.json"}, names); diff != "" {
		t.Errorf("List shows temporary objects (-want +got):\n%s", diff)
	}
	removed, err := f.b.RemoveStaleTemp(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if removed != 1 {
		t.Errorf("removed %d, want 1", removed)
	}
	if diff := cmp.Diff([]string{"rastro/keys/case-1.json"}, f.rawKeys(t)); diff != "" {
		t.Errorf("bucket after RemoveStaleTemp (-want +got):\n%s", diff)
	}
}

func TestRemoveStaleTempAbortsDeadUploads(t *testing.T) {
	f := newFixture(t, "", false)
	ctx := t.Context()
	tmp, err := f.b.Create(ctx) // stands for a process that died mid-upload
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Abort()
	for range 12 {
		if _, err := tmp.Write(make([]byte, 1<<20)); err != nil {
			t.Fatal(err)
		}
	}
	if ups, err := f.b.incompleteUploads(ctx, ""); err != nil || len(ups) != 1 {
		t.Fatalf("incomplete uploads = %v, %v; want the one in progress", ups, err)
	}
	removed, err := f.b.RemoveStaleTemp(ctx, 0)
	if err != nil || removed != 1 {
		t.Fatalf("RemoveStaleTemp = %d, %v; want 1", removed, err)
	}
	if ups, err := f.b.incompleteUploads(ctx, ""); err != nil || len(ups) != 0 {
		t.Errorf("incomplete uploads after RemoveStaleTemp = %v, %v; want none", ups, err)
	}
}

func TestConfigFromEnv(t *testing.T) {
	full := map[string]string{
		"RASTRO_S3_ENDPOINT": "minio.internal:9000", "RASTRO_S3_BUCKET": "evidence",
		"RASTRO_S3_PREFIX": "prod/", "RASTRO_S3_ACCESS_KEY": "AK", "RASTRO_S3_SECRET_KEY": "SK",
		"RASTRO_S3_REGION": "eu-west-1",
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for kk, vv := range full {
			m[kk] = vv
		}
		m[k] = v
		return m
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    Config
		ok      bool
		wantErr bool
	}{
		{"unset", map[string]string{}, Config{}, false, false},
		{"full, TLS by default", full, Config{Endpoint: "minio.internal:9000", Bucket: "evidence", Prefix: "prod/",
			AccessKey: "AK", SecretKey: "SK", Region: "eu-west-1", UseTLS: true}, true, false},
		{"plain HTTP", with("RASTRO_S3_TLS", "false"), Config{Endpoint: "minio.internal:9000", Bucket: "evidence", Prefix: "prod/",
			AccessKey: "AK", SecretKey: "SK", Region: "eu-west-1"}, true, false},
		{"bad TLS flag", with("RASTRO_S3_TLS", "maybe"), Config{}, false, true},
		{"bucket without endpoint", with("RASTRO_S3_ENDPOINT", ""), Config{}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if (err != nil) != tt.wantErr || ok != tt.ok {
				t.Fatalf("ok=%v err=%v, want ok=%v error=%v", ok, err, tt.ok, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b http.RoundTripper) bool { return a == b })); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	f := newFixture(t, "", false)
	good := Config{Endpoint: f.endpoint, Bucket: testBucket, AccessKey: "test", SecretKey: "test", Region: "us-east-1"}
	tests := []struct {
		name   string
		change func(c *Config)
		want   string // in the message
	}{
		{"missing bucket", func(c *Config) { c.Bucket = "no-such-bucket" }, `"no-such-bucket" does not exist`},
		{"no endpoint", func(c *Config) { c.Endpoint = "" }, "needs an endpoint"},
		{"secret key alone", func(c *Config) { c.AccessKey = "" }, "both an access key and a secret key"},
		{"part size under 5 MiB", func(c *Config) { c.PartSize = 1 << 20 }, "below the S3 minimum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.change(&c)
			_, err := New(t.Context(), c)
			if rastro.ErrorCode(err) != rastro.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: %v, want invalid saying %q", err, tt.want)
			}
		})
	}
	if _, err := New(t.Context(), good); err != nil {
		t.Errorf("New with a good config: %v", err)
	}
}

// TestBackendContractOnServer runs the contract on a real S3-compatible
// server when TEST_S3_ENDPOINT and TEST_S3_BUCKET are set (TEST_S3_ACCESS_KEY,
// TEST_S3_SECRET_KEY, TEST_S3_REGION and TEST_S3_TLS as the RASTRO_S3_*
// variables). Each backend gets a fresh random prefix, emptied afterwards.
func TestBackendContractOnServer(t *testing.T) {
	getenv := func(k string) string { return os.Getenv(strings.Replace(k, "RASTRO_S3_", "TEST_S3_", 1)) }
	c, ok, err := ConfigFromEnv(getenv)
	if err != nil {
		t.Fatal(err)
	}
	if !ok || os.Getenv("TEST_S3_ENDPOINT") == "" {
		t.Skip("TEST_S3_ENDPOINT and TEST_S3_BUCKET not set: contract tested on gofakes3 only")
	}
	vaulttest.Backend(t, func(t *testing.T) vault.Backend {
		c := c
		var id [8]byte
		rand.Read(id[:])
		c.Prefix = strings.TrimSuffix(c.Prefix, "/") + "/rastro-test-" + hex.EncodeToString(id[:]) + "/"
		b, err := New(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { emptyPrefix(t, b) })
		return b
	})
}

// emptyPrefix deletes every object under the backend's prefix.
func emptyPrefix(tb testing.TB, b *Backend) {
	tb.Helper()
	ctx := context.Background()
	for obj := range b.client.ListObjectsIter(ctx, b.bucket, minio.ListObjectsOptions{Prefix: b.prefix, Recursive: true}) {
		if obj.Err == nil {
			b.client.RemoveObject(ctx, b.bucket, obj.Key, minio.RemoveObjectOptions{})
		}
	}
}
