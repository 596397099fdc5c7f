package synth

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/rastro/rastro/synth/truth"
)

// partial is the truth one task contributes.
type partial struct {
	files      []FileInfo
	chats      []Chat
	sels       []truth.Selector
	recs       []truth.RecordRef
	accounts   []truth.Account
	typologies []truth.Typology
	ads        []truth.Ad
	images     []truth.Image
	reports    []truth.Report
}

// gen holds one generation run.
type gen struct {
	o       Options
	spec    sizeSpec
	s       *story
	ids     []string
	files   []*chatFile
	prog    *progress
	parts   []*partial
	imgDone chan struct{}
	imgRes  *partial
}

func newGen(o Options, spec sizeSpec) *gen {
	return &gen{o: o, spec: spec, prog: &progress{total: spec.budget, fn: o.Progress}, imgDone: make(chan struct{})}
}

// run builds the story, plans the files and writes them on all cores.
func (g *gen) run(ctx context.Context) error {
	r := newRand(g.o.Seed, 1)
	g.s = buildStory(r, g.spec.scale)
	for _, p := range g.s.people {
		g.ids = append(g.ids, p.ID)
	}
	g.planChats(newRand(g.o.Seed, 2))
	subs := g.subTasks()
	tasks := append([]func() error{}, subs...)
	g.parts = make([]*partial, len(subs)+len(g.files))
	// Zip exports wait for their media: queue them last so no worker idles early.
	for _, zipped := range []bool{false, true} {
		for i, f := range g.files {
			if (f.kind == "wa_zip") != zipped {
				continue
			}
			slot := len(subs) + i
			tasks = append(tasks, func() error {
				p, err := g.writeChatFile(ctx, f)
				g.parts[slot] = p
				return err
			})
		}
	}
	return runTasks(ctx, tasks)
}

// writeChatFile renders one chat file and returns its truth.
func (g *gen) writeChatFile(ctx context.Context, f *chatFile) (*partial, error) {
	switch f.kind {
	case "wa_zip":
		select {
		case <-g.imgDone:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if g.imgRes == nil {
			return nil, fmt.Errorf("synth: images for %s were not written", f.rel)
		}
		return g.writeWAZip(ctx, f)
	case "wa_txt":
		return g.writeWAText(ctx, f)
	case "tg_chat":
		return g.writeTGChat(ctx, f)
	default:
		return g.writeTGFull(ctx, f)
	}
}

// truth merges all partial results in a stable order.
func (g *gen) truth() *Truth {
	s := g.s
	t := &Truth{Version: TruthVersion, Generator: Generator, Seed: g.o.Seed, Size: g.o.Size, Scenario: s.sc,
		People: s.people, Orgs: s.orgs, Places: s.places, Events: s.events}
	for _, p := range g.parts {
		if p == nil {
			continue
		}
		t.Files = append(t.Files, p.files...)
		t.Chats = append(t.Chats, p.chats...)
		t.Selectors = append(t.Selectors, p.sels...)
		t.Records = append(t.Records, p.recs...)
		t.Accounts = append(t.Accounts, p.accounts...)
		t.Typologies = append(t.Typologies, p.typologies...)
		t.Ads = append(t.Ads, p.ads...)
		t.Images = append(t.Images, p.images...)
		t.Reports = append(t.Reports, p.reports...)
	}
	if len(t.Accounts) == 0 {
		t.Accounts = s.accounts
	}
	slices.SortFunc(t.Files, func(a, b FileInfo) int { return strings.Compare(a.Path, b.Path) })
	slices.SortStableFunc(t.Chats, func(a, b Chat) int { return strings.Compare(a.File, b.File) })
	slices.SortFunc(t.Selectors, func(a, b truth.Selector) int {
		return cmp.Or(strings.Compare(a.File, b.File), strings.Compare(a.Member, b.Member), cmp.Compare(a.Offset, b.Offset))
	})
	slices.SortStableFunc(t.Records, func(a, b truth.RecordRef) int { return strings.Compare(a.File, b.File) })
	slices.SortFunc(t.Images, func(a, b truth.Image) int { return strings.Compare(a.File, b.File) })
	t.ImageGroups = imageGroups(t.Images)
	g.linkPeople(t)
	nonNil(t)
	return t
}

// linkPeople lists in each person the accounts the money generator gave them.
func (g *gen) linkPeople(t *Truth) {
	idx := map[string]int{}
	for i, p := range t.People {
		idx[p.ID] = i
		t.People[i].Accounts = nil
	}
	for _, a := range t.Accounts {
		if i, ok := idx[a.Holder]; ok && a.Holder != "" {
			t.People[i].Accounts = append(t.People[i].Accounts, a.ID)
		}
	}
}

func imageGroups(imgs []truth.Image) []ImageGroup {
	var out []ImageGroup
	at := map[string]int{}
	for _, im := range imgs {
		i, ok := at[im.Group]
		if !ok {
			i = len(out)
			at[im.Group] = i
			out = append(out, ImageGroup{ID: im.Group})
		}
		out[i].Files = append(out[i].Files, im.File)
	}
	slices.SortFunc(out, func(a, b ImageGroup) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil(t *Truth) {
	if t.Orgs == nil {
		t.Orgs = []Org{}
	}
	if t.Chats == nil {
		t.Chats = []Chat{}
	}
	if t.Accounts == nil {
		t.Accounts = []truth.Account{}
	}
	if t.Typologies == nil {
		t.Typologies = []truth.Typology{}
	}
	if t.Selectors == nil {
		t.Selectors = []truth.Selector{}
	}
	if t.Records == nil {
		t.Records = []truth.RecordRef{}
	}
	if t.Ads == nil {
		t.Ads = []truth.Ad{}
	}
	if t.Images == nil {
		t.Images = []truth.Image{}
	}
	if t.ImageGroups == nil {
		t.ImageGroups = []ImageGroup{}
	}
	if t.Reports == nil {
		t.Reports = []truth.Report{}
	}
	if t.Files == nil {
		t.Files = []FileInfo{}
	}
}

// writeTruth writes dir/truth.json, indented.
func writeTruth(dir string, t *Truth) error {
	s, err := createSink(dir, "truth.json")
	if err != nil {
		return err
	}
	if err := encodeTruth(s, t); err != nil {
		s.abort()
		return fmt.Errorf("synth: truth.json: %w", err)
	}
	_, err = s.close("truth")
	return err
}

// encodeTruth writes t as indented JSON one top-level field and one list
// element at a time, so that memory does not hold a second, encoded copy
// of a truth that grows with the size of the case.
func encodeTruth(w io.Writer, t *Truth) error {
	bw := bufio.NewWriter(w)
	v := reflect.ValueOf(t).Elem()
	bw.WriteString("{")
	for i := 0; i < v.NumField(); i++ {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n  " + strconv.Quote(name) + ": ")
		if err := encodeValue(bw, v.Field(i)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

func encodeValue(w *bufio.Writer, f reflect.Value) error {
	if f.Kind() != reflect.Slice || f.Len() == 0 {
		return encodeIndented(w, f.Interface(), "  ")
	}
	w.WriteString("[")
	for j := 0; j < f.Len(); j++ {
		if j > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n    ")
		if err := encodeIndented(w, f.Index(j).Interface(), "    "); err != nil {
			return err
		}
	}
	w.WriteString("\n  ]")
	return nil
}

func encodeIndented(w io.Writer, x any, prefix string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(x); err != nil {
		return err
	}
	_, err := w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return err
}

// formatOf names the format of a sub-generator's file from its folder and extension.
func formatOf(rel string) string {
	dir, _, _ := strings.Cut(rel, "/")
	ext := strings.TrimPrefix(path.Ext(rel), ".")
	return dir + ":" + ext
}

// describe hashes sub-generator files (they do not report hashes).
func (g *gen) describe(rels []string) ([]FileInfo, error) {
	var out []FileInfo
	for _, rel := range rels {
		fi, err := hashFile(g.o.Out, rel, formatOf(rel))
		if err != nil {
			return nil, err
		}
		g.prog.add(fi.Size)
		out = append(out, fi)
	}
	return out, nil
}

// abs returns the absolute folder of a case path.
func (g *gen) abs(rel string) string { return filepath.Join(g.o.Out, filepath.FromSlash(rel)) }

// ensureDir creates a case sub-folder even when its generator writes nothing.
func (g *gen) ensureDir(rel string) error { return os.MkdirAll(g.abs(rel), 0o755) }
