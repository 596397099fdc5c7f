package intake_test

import (
	"io"
	"os"
	"path"
	"strings"
	"testing"

	"github.com/rastro/rastro/intake"
)

// fuzzLimits are small so that the fuzzer reaches them.
var fuzzLimits = intake.Limits{MaxEntries: 20, MaxTotal: 3 << 20, MaxRatio: 100}

// checkUnpack unpacks data and checks the unpacker's promises: no panic, no
// member name that could land outside the archive, no more entries or bytes
// than the limits allow.
func checkUnpack(t *testing.T, kind string, data []byte) {
	var entries int
	var total int64
	intake.Unpack(kind, data, fuzzLimits, func(name string, r io.Reader) error {
		entries++
		if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || path.Clean(name) != name ||
			name == ".." || strings.HasPrefix(name, "../") || (len(name) > 1 && name[1] == ':') {
			t.Fatalf("unsafe member name %q passed the checks", name)
		}
		n, err := io.Copy(io.Discard, r)
		total += n
		return err
	})
	if entries > fuzzLimits.MaxEntries {
		t.Fatalf("%d entries passed a limit of %d", entries, fuzzLimits.MaxEntries)
	}
	if total > fuzzLimits.MaxTotal+64<<10 { // one read may overshoot before it is refused
		t.Fatalf("%d bytes passed a limit of %d", total, fuzzLimits.MaxTotal)
	}
}

func FuzzUnzip(f *testing.F) {
	f.Add(makeZip(f, entry{name: "chat/_chat.txt", data: []byte("12/03/24, 21:04 - A: hola")}))
	f.Add(makeZip(f, entry{name: "../../escape.txt", data: []byte("x")}))
	f.Add(makeZip(f, entry{name: `..\win.txt`, data: []byte("x")}, entry{name: "C:/abs", data: nil}))
	f.Add(makeZip(f, entry{name: "bomb", data: make([]byte, 4<<20)}))
	f.Add(makeZip(f, entry{name: "link", data: []byte("/etc"), mode: os.ModeSymlink}))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) { checkUnpack(t, "zip", data) })
}

func FuzzUntar(f *testing.F) {
	f.Add(makeTar(f, entry{name: "result.json", data: []byte(`{"messages":[]}`)}))
	f.Add(makeTar(f, entry{name: "../escape", data: []byte("x")}, entry{name: "/abs", data: []byte("y")}))
	f.Add(makeTar(f, entry{name: "s", typeflag: '2', link: "/etc/shadow"}, entry{name: "h", typeflag: '1', link: "s"}))
	f.Add(gz(f, makeTar(f, entry{name: "bomb", data: make([]byte, 4<<20)})))
	f.Add(gz(f, makeTar(f, entry{name: "ok.txt", data: []byte("fine")})))
	f.Fuzz(func(t *testing.T, data []byte) {
		kind := "tar"
		if intake.KindByMagic(data) == "tar.gz" {
			kind = "tar.gz"
		}
		checkUnpack(t, kind, data)
	})
}

func TestKindByMagicOfBuiltArchives(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"zip", makeZip(t, entry{name: "a", data: []byte("a")}), "zip"},
		{"tar", makeTar(t, entry{name: "a", data: []byte("a")}), "tar"},
		{"tar.gz", gz(t, makeTar(t, entry{name: "a", data: []byte("a")})), "tar.gz"},
		{"text", []byte("hello"), ""},
	}
	for _, tt := range tests {
		if got := intake.KindByMagic(tt.data); got != tt.want {
			t.Errorf("%s: KindByMagic = %q, want %q", tt.name, got, tt.want)
		}
	}
}
