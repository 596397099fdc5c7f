package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro/synth"
)

// tinyCase writes the tiny training scenario into a temporary folder.
func tinyCase(t *testing.T) (string, *synth.Truth) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "case")
	truth, err := synth.Generate(context.Background(), synth.Options{Size: "tiny", Seed: 1, Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	return dir, truth
}

// feature is one line of rastro extract's output.
type feature struct{ kind, value, file, start, valid string }

func readFeatures(t *testing.T, path string) map[feature]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[feature]bool{}
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 11 {
			t.Fatalf("line %d has %d fields, want 11: %q", i+1, len(f), line)
		}
		got[feature{kind: f[0], value: f[1], file: f[3], start: f[4], valid: f[7]}] = true
	}
	return got
}

func TestExtractFindsPlantedSelectors(t *testing.T) {
	dir, truth := tinyCase(t)
	out := filepath.Join(t.TempDir(), "selectors.tsv")
	mustRastro(t, "extract", dir, "--out", out, "--quiet")
	got := readFeatures(t, out)
	found, total := map[string]int{}, map[string]int{}
	zipFound, zipTotal := 0, 0
	for _, s := range truth.Selectors {
		if s.Decoy {
			continue
		}
		file := filepath.Join(dir, s.File)
		if s.Member != "" {
			file += "!/" + s.Member
		}
		value := s.Value
		if s.Kind == "handle" {
			value = value[strings.Index(value, ":")+1:]
		}
		f := feature{kind: s.Kind, value: value, file: file, start: strconv.FormatInt(s.Offset, 10), valid: "true"}
		ok := got[f]
		if s.Kind == "handle" { // the truth may point after the "@" the extractor starts at
			f.start = strconv.FormatInt(s.Offset-1, 10)
			ok = ok || got[f]
		}
		total[s.Kind]++
		if ok {
			found[s.Kind]++
		}
		if s.Member != "" {
			zipTotal++
			if ok {
				zipFound++
			}
		}
	}
	for _, kind := range []string{"phone", "email", "iban", "btc", "tron", "card", "ipv4", "ipv6", "handle"} {
		if total[kind] == 0 {
			t.Errorf("the tiny case plants no %s selectors: the test lost its data", kind)
			continue
		}
		if recall := float64(found[kind]) / float64(total[kind]); recall < 0.95 {
			t.Errorf("%s: found %d of %d planted selectors at their offsets (recall %.2f)", kind, found[kind], total[kind], recall)
		}
	}
	if zipTotal == 0 || zipFound != zipTotal {
		t.Errorf("inside the WhatsApp zip: found %d of %d planted selectors", zipFound, zipTotal)
	}
	for f := range got {
		if f.valid != "true" {
			t.Fatalf("without --decoys the output lists an invalid selector: %+v", f)
		}
	}
}

func TestExtractDecoys(t *testing.T) {
	dir, truth := tinyCase(t)
	out := filepath.Join(t.TempDir(), "selectors.tsv")
	mustRastro(t, "extract", filepath.Join(dir, "chats"), "--decoys", "--out", out, "--quiet")
	invalid := map[string]bool{} // file and start of every invalid selector
	for f := range readFeatures(t, out) {
		if f.valid == "false" {
			invalid[f.file+"@"+f.start] = true
		}
	}
	n := 0
	for _, s := range truth.Selectors {
		if !s.Decoy || s.Member != "" || !strings.HasPrefix(s.File, "chats/") {
			continue
		}
		n++
		if at := filepath.Join(dir, s.File) + "@" + strconv.FormatInt(s.Offset, 10); !invalid[at] {
			t.Errorf("decoy %s %q at %s not listed as invalid", s.Kind, s.Form, at)
		}
	}
	if n == 0 {
		t.Fatal("the tiny case plants no decoys in its chats: the test lost its data")
	}
}

func TestExtractEscapesAndSkipsBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.txt"), "llamame al +506 8888 0001\tya\n")
	write(t, filepath.Join(dir, "broken.zip"), "this is not a zip archive")
	write(t, filepath.Join(dir, "b.txt"), "correo: ana.fict@example.com\n")
	out := filepath.Join(t.TempDir(), "s.tsv")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"extract", dir, "--out", out, "--quiet"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "could not be read") {
		t.Fatalf("extract with a broken zip: error %v, want one saying a file could not be read", err)
	}
	if !strings.Contains(stderr.String(), "broken.zip") {
		t.Errorf("stderr does not name the broken file:\n%s", stderr.String())
	}
	got := readFeatures(t, out)
	for _, want := range []feature{
		{kind: "phone", value: "+50688880001", file: filepath.Join(dir, "a.txt"), start: "11", valid: "true"},
		{kind: "email", value: "ana.fict@example.com", file: filepath.Join(dir, "b.txt"), start: "8", valid: "true"},
	} {
		if !got[want] {
			t.Errorf("missing %+v in %v (the file after the broken one must still be scanned)", want, got)
		}
	}
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), `ya\n`) || strings.Contains(string(b), "\tya\n") {
		t.Errorf("context not escaped:\n%s", b)
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestParseWhatsAppChat(t *testing.T) {
	dir, truth := tinyCase(t)
	checked := 0
	for _, c := range truth.Chats {
		if c.Platform != "whatsapp" || checked == 2 {
			continue
		}
		checked++
		t.Run(filepath.Base(c.File), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "records.jsonl")
			args := []string{"parse", filepath.Join(dir, c.File), "--out", out}
			if c.Member == "" {
				args = append(args, "--tz", c.Zone)
			}
			mustRastro(t, args...)
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
			if len(lines) != c.Messages {
				t.Errorf("%d records, truth has %d messages", len(lines), c.Messages)
			}
			zone, _ := time.LoadLocation(c.Zone)
			for i, l := range lines {
				var rec struct {
					Kind    string    `json:"kind"`
					Locator string    `json:"locator"`
					Time    time.Time `json:"time"`
				}
				if err := json.Unmarshal([]byte(l), &rec); err != nil {
					t.Fatalf("line %d is not JSON: %v: %s", i+1, err, l)
				}
				if rec.Kind != "message" || rec.Locator == "" || rec.Time.IsZero() {
					t.Fatalf("line %d: kind %q, locator %q, time %v", i+1, rec.Kind, rec.Locator, rec.Time)
				}
				if c.Member == "" && zone != nil {
					_, want := rec.Time.In(zone).Zone()
					if _, off := rec.Time.Zone(); off != want {
						t.Fatalf("line %d: time %s not written with the --tz offset of %s", i+1, rec.Time, c.Zone)
					}
				}
			}
		})
	}
	if checked == 0 {
		t.Fatal("the tiny case has no WhatsApp chat")
	}
}

const resolveCSV = `id,name,birth_date,phone,city
p1,María José Pérez Soto,1990-05-28,+50688880001,San José
p2,Maria Jose Perez,1990-05-28,+506 8888 0001,San Jose
p3,María José Pérez Soto,1987-11-02,+50670009999,San José
p4,Carlos Andrés Mora Vargas,1985-01-14,+50688112233,Alajuela
p5,Lucía Fernanda Rojas Chaves,1999-07-30,+50688445566,Heredia
p6,Jorge Luis Quesada Solís,1978-03-09,+50661112222,Cartago
p7,Ana Gabriela Jiménez Brenes,2001-12-01,+50662223333,Limón
p8,Roberto Esteban Castro Ulate,1992-09-17,+50663334444,Puntarenas
p9,Daniela Sofía Vargas Arias,1996-04-22,+50664445555,Liberia
p10,Luis Diego Salas Campos,1989-06-05,+50665556666,San José
p11,Karla Vanessa Núñez Mena,1994-02-11,+50666667777,Heredia
p12,Esteban José Araya Rojas,1983-08-25,+50667778888,Alajuela
`

func TestResolveCSV(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "people.csv")
	write(t, in, resolveCSV)
	out, explain := filepath.Join(dir, "clusters.csv"), filepath.Join(dir, "pairs.csv")
	mustRastro(t, "resolve", "--in", in, "--id", "id", "--out", out, "--explain", explain)
	cluster := map[string]string{}
	for _, row := range readCSV(t, out)[1:] {
		cluster[row[0]] = row[1]
	}
	if len(cluster) != 12 {
		t.Fatalf("%d records in clusters.csv, want 12", len(cluster))
	}
	if cluster["p1"] != cluster["p2"] {
		t.Errorf("p1 and p2 (same person, same phone and birth date) not merged: %v", cluster)
	}
	if cluster["p3"] == cluster["p1"] {
		t.Errorf("the bystander p3 (same name, other phone and birth date) merged with p1: %v", cluster)
	}
	pairs := readCSV(t, explain)
	var reason string
	for _, row := range pairs[1:] {
		if row[0] == "p1" && row[1] == "p2" || row[0] == "p2" && row[1] == "p1" {
			reason = row[len(row)-1]
		}
	}
	if !strings.Contains(reason, "identifier is shared") || !strings.Contains(reason, "dates of birth agree") {
		t.Errorf("explanation of p1–p2 does not cite the shared phone and birth date: %q", reason)
	}
}

// twoGroups is two dense groups joined only through the broker x.
const twoGroups = `# two groups and a broker
a1 a2
a1 a3
a1 a4
a2 a3
a2 a4
a3 a4
b1 b2
b1 b3
b1 b4
b2 b3
b2 b4
b3 b4
x a1
x a2
x b1
x b2
`

func TestNetworkCommunitiesAndBroker(t *testing.T) {
	dir := t.TempDir()
	edges := filepath.Join(dir, "edges.tsv")
	write(t, edges, twoGroups)
	out := filepath.Join(dir, "nodes.csv")
	mustRastro(t, "network", "--edges", edges, "--centrality", "betweenness,pagerank,degree,kcore", "--out", out)
	rows := readCSV(t, out)
	wantHeader := "node,community,betweenness,pagerank,degree,kcore,role,brokered"
	if got := strings.Join(rows[0], ","); got != wantHeader {
		t.Fatalf("header %q, want %q", got, wantHeader)
	}
	comm, betw, role := map[string]string{}, map[string]float64{}, map[string]string{}
	for _, r := range rows[1:] {
		comm[r[0]] = r[1]
		var v float64
		if err := json.Unmarshal([]byte(r[2]), &v); err != nil {
			t.Fatalf("betweenness %q: %v", r[2], err)
		}
		betw[r[0]] = v
		role[r[0]] = r[6]
	}
	for _, g := range [][]string{{"a1", "a2", "a3", "a4"}, {"b1", "b2", "b3", "b4"}} {
		for _, n := range g[1:] {
			if comm[n] != comm[g[0]] {
				t.Errorf("%s and %s in different communities: %v", n, g[0], comm)
			}
		}
	}
	if comm["a1"] == comm["b1"] {
		t.Errorf("the two groups share a community: %v", comm)
	}
	for n, b := range betw {
		if n != "x" && b >= betw["x"] {
			t.Errorf("betweenness of %s (%g) not below the broker's (%g)", n, b, betw["x"])
		}
	}
	if role["x"] == "" || role["a3"] != "" {
		t.Errorf("role hints: x %q (want a brokerage role), a3 %q (brokers nothing)", role["x"], role["a3"])
	}
}

func TestPlainCommandErrors(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	write(t, text, "hola\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"extract without out", []string{"extract", text}, "--out"},
		{"extract unknown kind", []string{"extract", text, "--kinds", "phone,dna", "--out", "-"}, `unknown kind "dna"`},
		{"extract missing path", []string{"extract", filepath.Join(dir, "absent"), "--out", filepath.Join(dir, "o.tsv")}, "could not be read"},
		{"parse without out", []string{"parse", text}, "--out"},
		{"parse unknown format", []string{"parse", text, "--format", "myspace", "--out", "-"}, `unknown --format "myspace"`},
		{"parse bad zone", []string{"parse", text, "--tz", "Mars/Olympus", "--out", "-"}, "time zone"},
		{"parse unreadable file", []string{"parse", filepath.Join(dir, "absent.txt"), "--out", "-"}, "no such file"},
		{"resolve without id", []string{"resolve", "--in", text, "--out", "-"}, "--id"},
		{"resolve missing id column", []string{"resolve", "--in", text, "--id", "id", "--out", "-"}, `no column "id"`},
		{"network without out", []string{"network", "--edges", text}, "--out"},
		{"network unknown centrality", []string{"network", "--edges", text, "--centrality", "fame", "--out", "-"}, `unknown centrality "fame"`},
		{"network unreadable edges", []string{"network", "--edges", filepath.Join(dir, "absent.tsv"), "--out", "-"}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rastroCmd(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
