package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/extract"
	"github.com/rastro/rastro/ingest"
	"github.com/rastro/rastro/network"
	"github.com/rastro/rastro/resolve"
)

// The plain-file commands run Rastro's engines — selector extraction,
// parsers, identity resolution and network analysis — on files given on the
// command line, without a data directory or database, so that analysts can
// script them and anyone can measure them on their own data (issues 5 and 6).

// parseArgs parses flags that may come before, between or after positional
// arguments ("rastro extract a.txt --out x b.txt") and returns the
// positional ones. After "--" everything is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if i := len(args) - len(rest) - 1; i >= 0 && args[i] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// writeOutput writes to path like writeAtomically, but "-" means the
// command's standard output.
func (e *environment) writeOutput(path string, fn func(*bufio.Writer) (int, error)) (int, error) {
	if path != "-" {
		return writeAtomically(path, fn)
	}
	w := bufio.NewWriter(e.stdout)
	n, err := fn(w)
	if err == nil {
		err = w.Flush()
	}
	return n, err
}

// ---- rastro extract ----

// extractTarget is one file to scan (a zip is scanned member by member).
type extractTarget struct {
	path string // on disk
	size int64
}

func (e *environment) plainExtract(ctx context.Context, args []string) error {
	fs := e.newFlags("extract")
	region := fs.String("region", "", "ISO 3166 country code for phone numbers written without a calling code, e.g. CR")
	kinds := fs.String("kinds", "", "comma-separated kinds to extract (default all: "+strings.Join(extract.AllKinds(), ",")+")")
	decoys := fs.Bool("decoys", false, "also list near-misses (right shape, failed validation) with valid=false and the reason")
	out := fs.String("out", "", "output TSV file (required; '-' for standard output)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	paths, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(paths) == 0 {
		return rastro.Errorf(rastro.EINVALID, "extract: give at least one PATH and --out FILE ('-' for standard output)")
	}
	opt := extract.Options{Region: strings.ToUpper(*region), Decoys: *decoys, Kinds: splitList(*kinds)}
	for _, k := range opt.Kinds {
		if !slices.Contains(extract.AllKinds(), k) {
			return rastro.Errorf(rastro.EINVALID, "extract: --kinds: unknown kind %q (use %s)", k, strings.Join(extract.AllKinds(), ","))
		}
	}
	targets, failed := e.extractTargets(paths)
	var total int64
	for _, t := range targets {
		total += t.size
	}
	x := &extractor{ctx: ctx, opt: opt, total: total}
	if !*quiet {
		x.progress = once(progressBar(e, "extracting"))
	}
	n, err := e.writeOutput(*out, func(w *bufio.Writer) (int, error) {
		fmt.Fprintln(w, "# rastro extract "+version+": kind\tvalue\traw\tfile\tstart\tend\tobfuscation\tvalid\tcontext\tplatform\treason")
		fmt.Fprintln(w, "# offsets are bytes, end exclusive; inside a zip member (file.zip!/member) they count from the member's first uncompressed byte")
		for _, t := range targets {
			if err := ctx.Err(); err != nil {
				return x.found, err
			}
			if err := x.file(w, t); err != nil {
				fmt.Fprintf(e.stderr, "extract: %s: %v\n", t.path, err)
				failed++
			}
		}
		if x.progress != nil {
			x.progress(total, total)
		}
		return x.found, nil
	})
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	fmt.Fprintf(e.stderr, "%d selectors from %d files (%d skipped as binary) written to %s\n", n, x.scanned, x.binary, *out)
	if failed > 0 {
		return fmt.Errorf("extract: %d file(s) could not be read (see the messages above); the others were scanned", failed)
	}
	return nil
}

// extractTargets walks the paths into a sorted list of files, reporting
// the paths it cannot read.
func (e *environment) extractTargets(paths []string) ([]extractTarget, int) {
	var targets []extractTarget
	failed := 0
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				fmt.Fprintf(e.stderr, "extract: %s: %v\n", path, err)
				failed++
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				fmt.Fprintf(e.stderr, "extract: %s: %v\n", path, err)
				failed++
				return nil
			}
			targets = append(targets, extractTarget{path: path, size: info.Size()})
			return nil
		})
		if err != nil {
			fmt.Fprintf(e.stderr, "extract: %s: %v\n", p, err)
			failed++
		}
	}
	return targets, failed
}

// extractor scans files and writes their selectors.
type extractor struct {
	ctx      context.Context
	opt      extract.Options
	progress func(done, total int64)
	total    int64
	done     int64 // bytes of finished files
	found    int
	scanned  int
	binary   int
}

// file scans one file: a zip member by member, text as it is; binary files
// are skipped with a note.
func (x *extractor) file(w *bufio.Writer, t extractTarget) error {
	defer func() { x.done += t.size; x.report(0) }()
	f, err := os.Open(t.path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 8192)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	head = head[:n]
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) || strings.EqualFold(filepath.Ext(t.path), ".zip") {
		return x.zip(w, f, t)
	}
	if binaryKind(head) != "" {
		x.binary++ // pictures and the like: counted in the summary
		return nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	x.scanned++
	return x.scan(w, f, t.path)
}

// zip scans every text member of an archive, naming it "file.zip!/member".
func (x *extractor) zip(w *bufio.Writer, f *os.File, t extractTarget) error {
	zr, err := zip.NewReader(f, t.size)
	if err != nil {
		return fmt.Errorf("not a readable zip: %w", err)
	}
	x.scanned++
	var bad []string
	for _, m := range zr.File {
		if m.FileInfo().IsDir() {
			continue
		}
		name := t.path + "!/" + m.Name
		if err := x.member(w, m, name); err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", m.Name, err))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d member(s) unreadable: %s", len(bad), strings.Join(bad, "; "))
	}
	return nil
}

// member scans one zip member if it holds text.
func (x *extractor) member(w *bufio.Writer, m *zip.File, name string) error {
	r, err := m.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	br := bufio.NewReaderSize(r, 8192)
	head, err := br.Peek(8192)
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if kind := binaryKind(head); kind != "" {
		return nil // media of a chat export: nothing to read as text
	}
	return x.scan(w, br, name)
}

// scan streams r through the extractor and writes one line per selector.
func (x *extractor) scan(w *bufio.Writer, r io.Reader, name string) error {
	cr := &countingReader{ctx: x.ctx, r: r, fn: x.report}
	s := extract.NewScanner(cr, x.opt)
	for s.Scan() {
		writeSelector(w, s.Selector(), name)
		x.found++
	}
	return s.Err()
}

// report draws the progress bar with n bytes read of the current file.
func (x *extractor) report(n int64) {
	if x.progress != nil {
		x.progress(min(x.done+n, x.total), x.total)
	}
}

// once wraps a progress bar so that it draws its end (done == total) once:
// files skipped or empty at the end report no progress of their own.
func once(bar func(done, total int64)) func(done, total int64) {
	ended := false
	return func(done, total int64) {
		if !ended {
			ended = done >= total
			bar(done, total)
		}
	}
}

// countingReader tells fn how many bytes were read so far.
// It stops with the context's error once ctx is done.
type countingReader struct {
	ctx context.Context
	r   io.Reader
	n   int64
	fn  func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.fn(c.n)
	return n, err
}

// binaryKind names the kind of a binary file from its first bytes, or
// returns "" for text.
func binaryKind(head []byte) string {
	ct := http.DetectContentType(head)
	for _, p := range []string{"image/", "audio/", "video/", "font/", "application/pdf", "application/x-gzip", "application/zip"} {
		if strings.HasPrefix(ct, p) {
			return ct
		}
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return ct
	}
	return ""
}

// writeSelector writes one feature line.
func writeSelector(w *bufio.Writer, s extract.Selector, file string) {
	fields := []string{s.Kind, s.Value, s.Raw, file, strconv.FormatInt(s.Start, 10), strconv.FormatInt(s.End, 10),
		s.Obfuscation, strconv.FormatBool(s.Valid), s.Context, s.Platform, s.Reason}
	for i, f := range fields {
		if i > 0 {
			w.WriteByte('\t')
		}
		w.WriteString(escapeTSV(f))
	}
	w.WriteByte('\n')
}

// escapeTSV escapes backslashes, tabs, newlines and other control
// characters, so that every selector stays on one line of its columns.
func escapeTSV(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == '\\' || r == 0x7f }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ---- rastro parse ----

// parseFormatNames lists the --format values of rastro parse.
const parseFormatNames = "whatsapp, telegram, discord, csv, ads, eml, mbox, html, text"

// parseFormatByName maps a --format value to a parser format; "whatsapp"
// stands for the zip format too (see parseFormat).
func parseFormatByName(name string) (ingest.Format, bool) {
	switch name {
	case "whatsapp":
		return ingest.FormatWhatsApp, true
	case "telegram":
		return ingest.FormatTelegram, true
	case "discord":
		return ingest.FormatDiscord, true
	case "csv":
		return ingest.FormatCSV, true
	case "ads":
		return ingest.FormatAdsJSONL, true
	case "eml":
		return ingest.FormatEML, true
	case "mbox":
		return ingest.FormatMbox, true
	case "html":
		return ingest.FormatHTML, true
	case "text":
		return ingest.FormatText, true
	}
	return ingest.FormatUnknown, false
}

func (e *environment) plainParse(ctx context.Context, args []string) error {
	fs := e.newFlags("parse")
	format := fs.String("format", "", "whatsapp, telegram, discord, csv, ads, eml, mbox, html or text (default: detected)")
	tz := fs.String("tz", "", "IANA time zone of the source device's clock, e.g. America/Costa_Rica (default: local times read as UTC)")
	order := fs.String("date-order", "", "dmy or mdy for day/month dates (default: decided from the whole file)")
	out := fs.String("out", "", "output JSON lines file (required; '-' for standard output)")
	files, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(files) != 1 {
		return rastro.Errorf(rastro.EINVALID, "parse: give exactly one FILE and --out FILE ('-' for standard output)")
	}
	opt, err := parseOptions(*tz, *order)
	if err != nil {
		return err
	}
	f, err := os.Open(files[0])
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	defer f.Close()
	fm, err := parseFormat(f, *format)
	if err != nil {
		return err
	}
	var rep *ingest.Report
	_, err = e.writeOutput(*out, func(w *bufio.Writer) (int, error) {
		enc := ingest.JSONL(w)
		rep, err = ingest.Parse(f, filepath.Base(f.Name()), fm, opt, func(it ingest.Item) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if opt.Zone != nil && !it.Time.IsZero() {
				it.Time = it.Time.In(opt.Zone) // RFC 3339 with the device's offset
			}
			return enc(it)
		})
		if err != nil {
			return 0, err
		}
		return rep.Items, nil
	})
	if err != nil {
		return fmt.Errorf("parse: %s: %w", files[0], err)
	}
	printParseReport(e.stderr, files[0], rep, opt)
	return nil
}

// parseOptions turns --tz and --date-order into parser options.
func parseOptions(tz, order string) (ingest.Options, error) {
	var opt ingest.Options
	if tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return opt, rastro.Errorf(rastro.EINVALID, "parse: --tz %q: not an IANA time zone such as America/Costa_Rica", tz)
		}
		opt.Zone = loc
	}
	switch order {
	case "":
	case "dmy", "mdy":
		dayFirst := order == "dmy"
		opt.DayFirst = &dayFirst
	default:
		return opt, rastro.Errorf(rastro.EINVALID, "parse: --date-order %q: use dmy or mdy", order)
	}
	return opt, nil
}

// parseFormat returns the format named by --format, or the detected one.
func parseFormat(f *os.File, name string) (ingest.Format, error) {
	head := make([]byte, 8192)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("parse: %w", err)
	}
	head = head[:n]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("parse: %w", err)
	}
	if name == "" {
		fm := ingest.Detect(filepath.Base(f.Name()), head)
		if fm == ingest.FormatUnknown {
			return "", rastro.Errorf(rastro.EINVALID, "parse: %s: cannot tell the format; give --format (%s)", f.Name(), parseFormatNames)
		}
		return fm, nil
	}
	fm, ok := parseFormatByName(name)
	if !ok {
		return "", rastro.Errorf(rastro.EINVALID, "parse: unknown --format %q (use %s)", name, parseFormatNames)
	}
	if fm == ingest.FormatWhatsApp && bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		fm = ingest.FormatWhatsAppZip
	}
	return fm, nil
}

// printParseReport writes what a parse did, for the analyst to judge it.
func printParseReport(w io.Writer, file string, rep *ingest.Report, opt ingest.Options) {
	fmt.Fprintf(w, "%s: format %s, %d items\n", file, rep.Format, rep.Items)
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "  skipped %s: %s\n", p.Locator, p.Reason)
	}
	if rep.MoreProblems > 0 {
		fmt.Fprintf(w, "  ... and %d more skipped parts\n", rep.MoreProblems)
	}
	if rep.DateOrderFrom != "" {
		order := "month first (mdy)"
		if rep.DayFirst {
			order = "day first (dmy)"
		}
		fmt.Fprintf(w, "  date order: %s, decided by %s\n", order, rep.DateOrderFrom)
	}
	switch {
	case opt.Zone != nil:
		fmt.Fprintf(w, "  zone: local times read in %s\n", opt.Zone)
	case rep.ZoneAssumed:
		fmt.Fprintln(w, "  zone: assumed UTC for local times without an offset (give --tz for the device's zone)")
	}
	if rep.Owner != nil {
		o := rep.Owner
		who := slices.DeleteFunc([]string{o.Name, o.ID, o.Phone}, func(s string) bool { return s == "" })
		fmt.Fprintf(w, "  exported by: %s\n", strings.Join(who, ", "))
	}
	for _, m := range rep.Members {
		fmt.Fprintf(w, "  member %s (%d bytes)\n", m.Name, m.Size)
	}
}

// ---- rastro resolve ----

func (e *environment) plainResolve(ctx context.Context, args []string) error {
	fs := e.newFlags("resolve")
	in := fs.String("in", "", "CSV file of records with a header line (required)")
	id := fs.String("id", "", "name of the record ID column (required)")
	fields := fs.String("fields", "", "comma-separated columns to compare (default: every column but the ID)")
	typed := fs.Bool("typed", false, "hand-typed data: near-miss phones, e-mails and handles count as fuzzy, and names alone may link")
	threshold := fs.Float64("threshold", 0.9, "match probability at or above which two records link")
	seed := fs.Uint64("seed", 1, "random seed for the model's sampled pairs: same seed, same output")
	out := fs.String("out", "", "output CSV of record_id,cluster_id (required; '-' for standard output)")
	explain := fs.String("explain", "", "also write every scored pair with its reasons to this CSV file")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if *in == "" || *id == "" || *out == "" {
		return rastro.Errorf(rastro.EINVALID, "resolve: --in, --id and --out are required")
	}
	if *threshold <= 0 || *threshold >= 1 {
		return rastro.Errorf(rastro.EINVALID, "resolve: --threshold %g: want a probability between 0 and 1", *threshold)
	}
	f, err := os.Open(*in)
	if err != nil {
		return fmt.Errorf("resolve: %w", err)
	}
	defer f.Close()
	recs, err := resolve.ReadCSV(bufio.NewReader(f), *id, splitList(*fields))
	if err != nil {
		return fmt.Errorf("resolve: %s: %w", *in, err)
	}
	res, err := resolve.Resolve(ctx, recs, nil, resolve.Options{Threshold: *threshold, Seed: *seed,
		FuzzyIdentifiers: *typed, AllowNameOnly: *typed})
	if err != nil {
		return fmt.Errorf("resolve: %w", err)
	}
	if _, err := e.writeOutput(*out, func(w *bufio.Writer) (int, error) { return 0, resolve.WriteClusters(w, res) }); err != nil {
		return fmt.Errorf("resolve: %w", err)
	}
	if *explain != "" {
		if _, err := e.writeOutput(*explain, func(w *bufio.Writer) (int, error) { return 0, resolve.WriteExplanations(w, res) }); err != nil {
			return fmt.Errorf("resolve: --explain: %w", err)
		}
	}
	merged := 0
	for _, c := range res.Clusters {
		if len(c.Members) > 1 {
			merged++
		}
	}
	b := res.Blocking
	fmt.Fprintf(e.stderr, "%d records, %d clusters (%d with several records); %d candidate pairs of %d possible (reduction %.4f)\n",
		len(recs), len(res.Clusters), merged, b.CandidatePairs, b.PossiblePairs, b.ReductionRatio)
	return nil
}

// ---- rastro network ----

func (e *environment) plainNetwork(ctx context.Context, args []string) error {
	fs := e.newFlags("network")
	edges := fs.String("edges", "", "edge list: source, target, optional weight and type per line, tab or space separated (required)")
	directed := fs.Bool("directed", false, "edges have a direction")
	comm := fs.String("communities", "leiden", "leiden (modularity) or none")
	resolution := fs.Float64("resolution", 1, "Leiden resolution: higher gives more, smaller communities")
	seed := fs.Uint64("seed", 1, "random seed for Leiden and sampled betweenness")
	weighted := fs.Bool("weighted", false, "use edge weights as tie strengths in Leiden and PageRank")
	cent := fs.String("centrality", "degree,betweenness,pagerank", "comma-separated, any of: "+centralities)
	samples := fs.Int("samples", 0, "estimate betweenness from this many sampled sources (0: exact)")
	out := fs.String("out", "", "output CSV, one row per node (required; '-' for standard output)")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if *edges == "" || *out == "" {
		return rastro.Errorf(rastro.EINVALID, "network: --edges and --out are required")
	}
	if *comm != "leiden" && *comm != "none" {
		return rastro.Errorf(rastro.EINVALID, "network: --communities %q: use leiden or none", *comm)
	}
	names := splitList(*cent)
	for _, name := range names {
		if !slices.Contains(strings.Split(centralities, ", "), name) {
			return rastro.Errorf(rastro.EINVALID, "network: unknown centrality %q; use %s", name, centralities)
		}
	}
	f, err := os.Open(*edges)
	if err != nil {
		return fmt.Errorf("network: %w", err)
	}
	defer f.Close()
	g, err := network.ReadEdgeList(bufio.NewReader(f), *directed)
	if err != nil {
		return fmt.Errorf("network: %s: %w", *edges, err)
	}
	t := nodeTable{g: g}
	if *comm == "leiden" {
		p := network.Leiden(g, network.LeidenOptions{Resolution: *resolution, Seed: *seed, Weighted: *weighted})
		t.community = p.Membership
		fmt.Fprintf(e.stderr, "%d communities, modularity %.4f\n", p.Count, p.Quality)
	}
	for _, name := range names {
		t.names = append(t.names, name)
		t.cols = append(t.cols, centralityColumn(g, name, *samples, *seed, *weighted))
	}
	if _, err := e.writeOutput(*out, t.write); err != nil {
		return fmt.Errorf("network: %w", err)
	}
	fmt.Fprintf(e.stderr, "%d nodes, %d edges written to %s\n", g.N(), g.M(), *out)
	return nil
}

// centralities are the names --centrality accepts.
const centralities = "degree, strength, betweenness, pagerank, kcore"

// centralityColumn computes one centrality (one of centralities) of every node.
func centralityColumn(g *network.Graph, name string, samples int, seed uint64, weighted bool) []float64 {
	switch name {
	case "degree":
		return floats(network.Degree(g, network.DegreeAll))
	case "strength":
		return network.Strength(g, network.DegreeAll)
	case "betweenness":
		return network.Betweenness(g, network.BetweennessOptions{Samples: samples, Seed: seed})
	case "pagerank":
		return network.PageRank(g, network.PageRankOptions{Weighted: weighted})
	default: // kcore
		return floats(network.KCore(g))
	}
}

func floats(x []int) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// nodeTable is the output of rastro network: the columns of
// network.WriteNodeTable (node, community, centralities) plus, with
// communities, each node's main Gould–Fernandez brokerage role between them.
type nodeTable struct {
	g         *network.Graph
	community []int32
	names     []string
	cols      [][]float64
}

func (t nodeTable) write(w *bufio.Writer) (int, error) {
	header := []string{"node"}
	var roles []network.Brokerage
	if t.community != nil {
		header = append(header, "community")
		roles = network.BrokerageRoles(t.g, t.community)
	}
	header = append(header, t.names...)
	if roles != nil {
		header = append(header, "role", "brokered")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return 0, err
	}
	for v := range int32(t.g.N()) {
		row := []string{t.g.Key(v)}
		if t.community != nil {
			row = append(row, strconv.Itoa(int(t.community[v])))
		}
		for _, c := range t.cols {
			row = append(row, strconv.FormatFloat(c[v], 'g', 10, 64))
		}
		if roles != nil {
			row = append(row, mainRole(roles[v]), strconv.Itoa(roles[v].Total()))
		}
		if err := cw.Write(row); err != nil {
			return 0, err
		}
	}
	cw.Flush()
	return t.g.N(), cw.Error()
}

// mainRole names the brokerage role a node plays most, "" when it brokers
// nothing; ties go to the role spanning more communities.
func mainRole(b network.Brokerage) string {
	roles := []struct {
		name string
		n    int
	}{{"liaison", b.Liaison}, {"gatekeeper", b.Gatekeeper}, {"representative", b.Representative},
		{"consultant", b.Consultant}, {"coordinator", b.Coordinator}}
	best, n := "", 0
	for _, r := range roles {
		if r.n > n {
			best, n = r.name, r.n
		}
	}
	return best
}
