package unpack_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path"
	"strings"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/intake/unpack"
)

// entry is one archive member to build.
type entry struct {
	name     string
	data     []byte
	typeflag byte        // tar type; 0 = regular
	link     string      // tar link target
	mode     os.FileMode // zip mode bits
}

// makeZip builds a zip archive.
func makeZip(tb testing.TB, entries ...entry) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode | 0o777)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// makeTar builds a tar archive.
func makeTar(tb testing.TB, entries ...entry) []byte {
	tb.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(e.data)), Linkname: e.link}
		if e.typeflag != 0 {
			h.Typeflag, h.Size = e.typeflag, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			tb.Fatal(err)
		}
		tw.Write(e.data[:h.Size])
	}
	if err := tw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// gz compresses p.
func gz(p []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(p)
	w.Close()
	return buf.Bytes()
}

// result is what unpacking produced.
type result struct {
	names   []string
	entries int
	total   int64
	errs    []error
}

// run unpacks data with the limits, reading every member to its end.
func run(kind unpack.Kind, data []byte, lim unpack.Limits) result {
	var res result
	res.errs = unpack.Unpack(kind, bytes.NewReader(data), int64(len(data)), unpack.NewBudget(lim), func(m unpack.Member, r io.Reader) error {
		res.names = append(res.names, m.Name)
		res.entries++
		n, err := io.Copy(io.Discard, r)
		res.total += n
		return err
	})
	return res
}

// fuzzLimits are small so that the fuzzer reaches them.
var fuzzLimits = unpack.Limits{MaxEntries: 20, MaxTotal: 3 << 20, MaxRatio: 100}

// checkPromises checks what the unpacker promises for any input: no unsafe
// member name, no more entries or bytes than the limits allow.
func checkPromises(t *testing.T, res result) {
	t.Helper()
	for _, name := range res.names {
		if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || path.Clean(name) != name ||
			name == ".." || strings.HasPrefix(name, "../") || (len(name) > 1 && name[1] == ':') {
			t.Fatalf("unsafe member name %q passed the checks", name)
		}
	}
	if res.entries > fuzzLimits.MaxEntries {
		t.Fatalf("%d entries passed a limit of %d", res.entries, fuzzLimits.MaxEntries)
	}
	if res.total > fuzzLimits.MaxTotal+64<<10 { // the read that crosses the limit is refused, not cut
		t.Fatalf("%d bytes passed a limit of %d", res.total, fuzzLimits.MaxTotal)
	}
}

func FuzzUnzip(f *testing.F) {
	f.Add(makeZip(f, entry{name: "chat/_chat.txt", data: []byte("12/03/24, 21:04 - A: hola")}))
	f.Add(makeZip(f, entry{name: "../../escape.txt", data: []byte("x")}))
	f.Add(makeZip(f, entry{name: `..\win.txt`, data: []byte("x")}, entry{name: "C:/abs"}))
	f.Add(makeZip(f, entry{name: "bomb", data: make([]byte, 4<<20)}))
	f.Add(makeZip(f, entry{name: "link", data: []byte("/etc"), mode: os.ModeSymlink}))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) { checkPromises(t, run(unpack.Zip, data, fuzzLimits)) })
}

func FuzzUntar(f *testing.F) {
	f.Add(makeTar(f, entry{name: "result.json", data: []byte(`{"messages":[]}`)}))
	f.Add(makeTar(f, entry{name: "../escape", data: []byte("x")}, entry{name: "/abs", data: []byte("y")}))
	f.Add(makeTar(f, entry{name: "s", typeflag: tar.TypeSymlink, link: "/etc/shadow"}, entry{name: "h", typeflag: tar.TypeLink, link: "s"}))
	f.Add(gz(makeTar(f, entry{name: "bomb", data: make([]byte, 4<<20)})))
	f.Add(gz(makeTar(f, entry{name: "ok.txt", data: []byte("fine")})))
	f.Fuzz(func(t *testing.T, data []byte) {
		kind := unpack.Tar
		if unpack.KindByMagic(data) == unpack.TarGz {
			kind = unpack.TarGz
		}
		checkPromises(t, run(kind, data, fuzzLimits))
	})
}

func TestCleanName(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "chat/_chat.txt", want: "chat/_chat.txt"},
		{in: "./a//b/./c.txt", want: "a/b/c.txt"},
		{in: `dir\file.txt`, want: "dir/file.txt"},
		{in: "a/../b.txt", bad: true},
		{in: "../x", bad: true},
		{in: `..\x`, bad: true},
		{in: "/etc/passwd", bad: true},
		{in: `C:\Windows\x`, bad: true},
		{in: "", bad: true},
		{in: "a\x00b", bad: true},
	}
	for _, tt := range tests {
		got, err := unpack.CleanName(tt.in)
		if (err != nil) != tt.bad || (!tt.bad && got != tt.want) {
			t.Errorf("CleanName(%q) = %q, %v; want %q (rejected: %v)", tt.in, got, err, tt.want, tt.bad)
		}
	}
}

func TestUnpackLimits(t *testing.T) {
	zeros := make([]byte, 8<<20)
	tests := []struct {
		name      string
		kind      unpack.Kind
		data      []byte
		lim       unpack.Limits
		wantNames []string
		wantErr   string // in the last error, which must be a LimitError
	}{
		{"zip bomb", unpack.Zip, makeZip(t, entry{name: "ok", data: []byte("x")}, entry{name: "z", data: zeros}),
			unpack.Limits{}, []string{"ok"}, `member "z": would expand`},
		{"tar.gz bomb", unpack.TarGz, gz(makeTar(t, entry{name: "ok", data: []byte("x")}, entry{name: "z", data: zeros})),
			unpack.Limits{}, []string{"ok", "z"}, `member "z": the stream expanded`},
		{"tar total", unpack.Tar, makeTar(t, entry{name: "a", data: make([]byte, 600)}, entry{name: "b", data: make([]byte, 600)}),
			unpack.Limits{MaxTotal: 1000}, []string{"a"}, `member "b": would pass the limit of 1000`},
		{"tar entries", unpack.Tar, makeTar(t, entry{name: "a"}, entry{name: "b"}, entry{name: "c"}),
			unpack.Limits{MaxEntries: 2}, []string{"a", "b"}, "more than 2 entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(tt.kind, tt.data, tt.lim)
			if strings.Join(res.names, ",") != strings.Join(tt.wantNames, ",") {
				t.Errorf("members %v, want %v", res.names, tt.wantNames)
			}
			if len(res.errs) == 0 {
				t.Fatal("no error")
			}
			last := res.errs[len(res.errs)-1]
			if !unpack.IsLimit(last) || rastro.ErrorCode(last) != rastro.EINVALID || !strings.Contains(last.Error(), tt.wantErr) {
				t.Errorf("last error %v; want an invalid LimitError containing %q", last, tt.wantErr)
			}
		})
	}
}

func TestKindByMagic(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want unpack.Kind
	}{
		{"zip", makeZip(t, entry{name: "a", data: []byte("a")}), unpack.Zip},
		{"tar", makeTar(t, entry{name: "a", data: []byte("a")}), unpack.Tar},
		{"tar.gz", gz(makeTar(t, entry{name: "a", data: []byte("a")})), unpack.TarGz},
		{"text", []byte("hello"), unpack.None},
	}
	for _, tt := range tests {
		if got := unpack.KindByMagic(tt.data); got != tt.want {
			t.Errorf("%s: KindByMagic = %q, want %q", tt.name, got, tt.want)
		}
	}
}
