package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/money"
	synthmoney "github.com/rastro/rastro/synth/money"
)

// The money commands wire the pure follow-the-money engine (package money)
// into the binary: scan and trace work on plain files, without a database,
// so analysts can script them; import turns a case's money evidence into
// accounts, Payment links and findings, as a command and as a job.

func (e *environment) money(ctx context.Context, args []string) error {
	return e.sub(ctx, "money", args, map[string]command{"scan": e.moneyScan, "trace": e.moneyTrace, "import": e.moneyImport, "gen": e.moneyGen})
}

// moneyInput holds the flags shared by scan and trace.
type moneyInput struct {
	in, format string
	quiet      bool
}

func (m *moneyInput) bind(fs *flag.FlagSet) {
	fs.StringVar(&m.in, "in", "", "CSV file, or folder of CSV files (required)")
	fs.StringVar(&m.format, "format", "auto", "auto, amlworld, amlsim, btc, token, or a statement column mapping MAPPING.json")
	fs.BoolVar(&m.quiet, "quiet", false, "no progress bar")
}

// load reads the input, printing bad lines and a progress bar to stderr.
func (m *moneyInput) load(e *environment) (*money.Dataset, error) {
	if m.in == "" {
		return nil, rastro.Errorf(rastro.EINVALID, "--in is required: a CSV file or a folder of them")
	}
	opts, err := moneyFormat(m.format)
	if err != nil {
		return nil, err
	}
	srcs, err := moneyFiles(m.in)
	if err != nil {
		return nil, err
	}
	var progress func(done, total int64)
	if !m.quiet {
		progress = progressBar(e, filepath.Base(m.in))
	}
	ds, skipped, err := money.Load(srcs, opts, progress)
	if err != nil {
		return nil, err
	}
	for _, s := range skipped {
		fmt.Fprintf(e.stderr, "%s: skipped: %s\n", s.Name, s.Reason)
	}
	printLineErrors(e.stderr, ds.Reports)
	if len(ds.Txs) == 0 {
		return nil, rastro.Errorf(rastro.EINVALID, "%s: no transactions read (see the messages above; --format may help)", m.in)
	}
	return ds, nil
}

// moneyFormat turns the --format flag into read options.
func moneyFormat(format string) (money.ReadOptions, error) {
	switch format {
	case "", "auto":
		return money.ReadOptions{}, nil
	case money.FormatAMLworld, money.FormatAMLSim, money.FormatBTC, money.FormatToken:
		return money.ReadOptions{Format: format}, nil
	}
	if !strings.HasSuffix(strings.ToLower(format), ".json") {
		return money.ReadOptions{}, rastro.Errorf(rastro.EINVALID, "--format %q: use auto, amlworld, amlsim, btc, token or a mapping file ending in .json", format)
	}
	b, err := os.ReadFile(format)
	if err != nil {
		return money.ReadOptions{}, fmt.Errorf("--format: %w", err)
	}
	m, err := money.ParseMapping(b)
	if err != nil {
		return money.ReadOptions{}, fmt.Errorf("--format %s: %w", format, err)
	}
	return money.ReadOptions{Format: money.FormatStatement, Mapping: m}, nil
}

// moneyFiles lists the *.csv files of a folder (sorted), or the one file.
func moneyFiles(path string) ([]money.Source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("--in: %w", err)
	}
	names := []string{path}
	if st.IsDir() {
		if names, err = filepath.Glob(filepath.Join(path, "*.csv")); err != nil {
			return nil, fmt.Errorf("--in: %w", err)
		}
		sort.Strings(names)
	}
	var srcs []money.Source
	for _, n := range names {
		st, err := os.Stat(n)
		if err != nil {
			return nil, fmt.Errorf("--in: %w", err)
		}
		srcs = append(srcs, money.Source{Name: n, Size: st.Size(), Open: func() (io.ReadCloser, error) { return os.Open(n) }})
	}
	return srcs, nil
}

// printLineErrors writes each bad line as file:line: reason.
func printLineErrors(w io.Writer, reps []*money.Report) {
	for _, r := range reps {
		for _, le := range r.Errors {
			fmt.Fprintf(w, "%s:%d: %s\n", le.File, le.Line, le.Reason)
		}
		if more := r.ErrorCount - len(r.Errors); more > 0 {
			fmt.Fprintf(w, "%s: %d more bad lines not shown\n", r.File, more)
		}
	}
}

// listFlag collects repeated --list NAME=FILE flags.
type listFlag map[string][]string

func (l listFlag) String() string { return keys(l) }

// Set reads one account list: one account key per line, # comments.
func (l listFlag) Set(v string) error {
	name, path, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return errors.New("want NAME=FILE, e.g. darknet=addresses.txt")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			l[name] = append(l[name], line)
		}
	}
	return nil
}

func (e *environment) moneyScan(ctx context.Context, args []string) error {
	var in moneyInput
	var out string
	lists := listFlag{}
	fs := e.newFlags("money scan")
	in.bind(fs)
	fs.StringVar(&out, "out", "", "alerts CSV to write (default: a table on stdout)")
	fs.Var(lists, "list", "NAME=FILE: an account list the rule pack refers to (e.g. darknet=addresses.txt); repeatable")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ds, err := in.load(e)
	if err != nil {
		return fmt.Errorf("money scan: %w", err)
	}
	pack, err := money.DefaultRulePack()
	if err != nil {
		return fmt.Errorf("money scan: %w", err)
	}
	alerts := money.NewGraph(ds.Txs).Scan(money.DefaultParams(), pack, nil, lists)
	if out != "" {
		if _, err := writeAtomically(out, func(w *bufio.Writer) (int, error) { return 0, money.WriteAlertsCSV(w, alerts) }); err != nil {
			return fmt.Errorf("money scan: %w", err)
		}
	} else {
		printAlerts(e.stdout, alerts)
	}
	fmt.Fprintf(e.stdout, "%d transactions, %d alerts\n", len(ds.Txs), len(alerts))
	for _, kc := range countKinds(alerts) {
		fmt.Fprintf(e.stdout, "  %-22s %d\n", kc.kind, kc.n)
	}
	return nil
}

// printAlerts writes alerts as a table: pattern, account, score, size.
func printAlerts(w io.Writer, alerts []money.Alert) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PATTERN\tACCOUNT\tSCORE\tTRANSFERS\tFIRST LINE")
	for _, a := range alerts {
		first := ""
		if len(a.Refs) > 0 {
			first = fmt.Sprintf("%s:%d", a.Refs[0].File, a.Refs[0].Line)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.3f\t%d\t%s\n", a.Kind, a.Account, a.Score, len(a.TxIDs), first)
	}
	tw.Flush()
}

type kindCount struct {
	kind string
	n    int
}

// countKinds counts alerts per kind, in kind order.
func countKinds(alerts []money.Alert) []kindCount {
	var out []kindCount
	for _, a := range alerts {
		if len(out) == 0 || out[len(out)-1].kind != a.Kind {
			out = append(out, kindCount{kind: a.Kind})
		}
		out[len(out)-1].n++
	}
	return out
}

// moneyGen writes one large AMLworld-schema file for scale benchmarks,
// streamed to disk (memory is bounded by the accounts, not the lines).
func (e *environment) moneyGen(ctx context.Context, args []string) error {
	var p synthmoney.LargeParams
	var out string
	fs := e.newFlags("money gen")
	fs.Int64Var(&p.Transactions, "transactions", 1000000, "data lines to write")
	fs.IntVar(&p.Accounts, "accounts", 0, "background accounts (default transactions/10)")
	fs.Uint64Var(&p.Seed, "seed", 1, "random seed: the same seed and flags give byte-identical output")
	fs.StringVar(&out, "out", "", "AMLworld CSV to write (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if out == "" {
		return rastro.Errorf(rastro.EINVALID, "money gen: --out is required")
	}
	var res *synthmoney.LargeResult
	if _, err := writeAtomically(out, func(w *bufio.Writer) (int, error) {
		var err error
		res, err = synthmoney.WriteAMLworld(w, p)
		return 0, err
	}); err != nil {
		return fmt.Errorf("money gen: %w", err)
	}
	fmt.Fprintf(e.stdout, "wrote %d transactions (%d planted laundering) over %d accounts, %.1f MB to %s\n",
		res.Transactions, res.Laundering, res.Accounts, float64(res.Bytes)/1e6, out)
	return nil
}

func (e *environment) moneyTrace(ctx context.Context, args []string) error {
	var in moneyInput
	var o money.TraceOptions
	var out string
	fs := e.newFlags("money trace")
	in.bind(fs)
	fs.StringVar(&o.Account, "from", "", "account to trace from (its outflows, or inflows with --backward)")
	fs.StringVar(&o.TxID, "tx", "", "transfer id to trace from (instead of --from)")
	fs.BoolVar(&o.Backward, "backward", false, "trace where the money came from instead of where it went")
	fs.IntVar(&o.Hops, "hops", 5, "at most this many hops")
	fs.StringVar(&o.Model, "model", money.ModelFIFO, "attribution model: fifo, haircut or poison")
	fs.StringVar(&out, "out", "", "trace CSV to write (default: stdout, totals on stderr)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (o.Account == "") == (o.TxID == "") {
		return rastro.Errorf(rastro.EINVALID, "money trace: give exactly one of --from ACCOUNT and --tx TXID")
	}
	ds, err := in.load(e)
	if err != nil {
		return fmt.Errorf("money trace: %w", err)
	}
	flow, err := money.NewGraph(ds.Txs).Trace(o)
	if err != nil {
		return err // already says "money: trace: ..."
	}
	if _, err := writeAtomically(orStdout(out), func(w *bufio.Writer) (int, error) { return 0, money.WriteTraceCSV(w, flow) }); err != nil {
		return fmt.Errorf("money trace: %w", err)
	}
	summary := e.stdout
	if out == "" {
		summary = e.stderr
	}
	printTraceTotals(summary, flow)
	return nil
}

// orStdout maps an empty path to "-", writeAtomically's stdout.
func orStdout(path string) string {
	if path == "" {
		return "-"
	}
	return path
}

// printTraceTotals writes the attributed total per hop and currency.
func printTraceTotals(w io.Writer, f *money.Flow) {
	dir := "forward"
	if f.Back {
		dir = "backward"
	}
	fmt.Fprintf(w, "trace %s from %s (%s): %d accounts reached, %d edges\n", dir, f.Root, f.Model, len(f.Nodes)-1, len(f.Edges))
	type key struct {
		hop int
		cur string
	}
	totals := map[key]money.Amount{}
	var order []key
	for _, e := range f.Edges {
		k := key{f.Nodes[e.Target].Hop, e.Currency}
		if _, ok := totals[k]; !ok {
			order = append(order, k)
		}
		totals[k] = totals[k].Add(e.Amount)
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].hop != order[j].hop {
			return order[i].hop < order[j].hop
		}
		return order[i].cur < order[j].cur
	})
	for _, k := range order {
		fmt.Fprintf(w, "  hop %d total %s %s\n", k.hop, totals[k], k.cur)
	}
}

// jobMoneyImport is the job kind that imports a case's money evidence.
const jobMoneyImport = "money.import"

type moneyPayload struct {
	CaseID     int64 `json:"case_id"`
	MaxPerKind int   `json:"max_per_kind,omitempty"` // 0: defaultMaxPerKind; -1: every alert
	// Mappings says how to read some evidence items (by id), as chosen in
	// the web's column-mapping editor; the others are detected by header.
	Mappings map[int64]moneyMapped `json:"mappings,omitempty"`
}

// moneyMapped is how to read one evidence item: a built-in format, or a
// statement column mapping with the statement's own account.
type moneyMapped struct {
	Format  string         `json:"format,omitempty"`
	Mapping *money.Mapping `json:"mapping,omitempty"`
	Account string         `json:"account,omitempty"`
}

// defaultMaxPerKind is how many findings an import stores per alert kind
// among alerts that touch none of the case's own accounts (the
// best-scored; alerts on the case's accounts are always stored): the
// scan's CSV keeps every alert, but thousands of weak bipartite or cycle
// leads on background accounts would bury the analyst's queue (the small
// training case raises 3,259 alerts). What is left out is counted per
// kind in the import's summary, job message and audit event.
const defaultMaxPerKind = 25

// moneyImportHandler runs the money import of the payload's case.
func moneyImportHandler(ev *evidenceEnv) func(context.Context, *rastro.Job, func(float64, string)) error {
	return func(ctx context.Context, j *rastro.Job, progress func(float64, string)) error {
		var p moneyPayload
		if err := json.Unmarshal(j.Payload, &p); err != nil || p.CaseID <= 0 {
			return fmt.Errorf("money.import payload %s: want {\"case_id\":N}: %v", j.Payload, err)
		}
		res, err := ev.importMoneyMapped(ctx, rastro.SystemActor("money import"), p.CaseID, p.MaxPerKind, p.Mappings, progress)
		if err != nil {
			return err
		}
		progress(1, res.String())
		return nil
	}
}

// importMoney is the demo scenario's step: the case's payments and money
// findings, right after its evidence and accounts.
func (l *loader) importMoney(ctx context.Context) error {
	_, err := l.ev.importMoney(ctx, l.actor, l.caseID, 0, func(float64, string) {})
	return err
}

func (e *environment) moneyImport(ctx context.Context, args []string) error {
	var c config
	var caseID int64
	fs := e.newFlags("money import")
	c.bind(fs)
	fs.Int64Var(&caseID, "case", 0, "case id (required)")
	quiet := fs.Bool("quiet", false, "no progress messages")
	perKind := fs.Int("max-per-kind", defaultMaxPerKind, "besides every alert on the case's own accounts, store at most this many findings per alert kind, the best-scored (-1: all); the summary counts the rest")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if caseID <= 0 {
		return rastro.Errorf(rastro.EINVALID, "money import: usage: rastro money import --case ID")
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		ev, err := openEvidence(c.DataDir, s)
		if err != nil {
			return err
		}
		progress := func(p float64, msg string) {
			if !*quiet {
				fmt.Fprintf(e.stderr, "%3.0f%% %s\n", p*100, msg)
			}
		}
		res, err := ev.importMoney(ctx, rastro.SystemActor("cli: money import"), caseID, *perKind, progress)
		if err != nil {
			return fmt.Errorf("money import: %w", err)
		}
		printLineErrors(e.stderr, res.reports)
		fmt.Fprintln(e.stdout, res)
		return nil
	})
}

// moneyImportResult says what an import did.
type moneyImportResult struct {
	files, txs, accounts, newAccounts, payments, alerts, newFindings int
	reports                                                          []*money.Report
	maxPerKind                                                       int
	notStored                                                        []kindCount // per kind, weaker alerts left out by the cap
}

// String is the one-line summary printed and shown as the job's message.
func (r *moneyImportResult) String() string {
	s := fmt.Sprintf("%d money files, %d transactions: %d accounts (%d new), %d payments, %d alerts (%d new findings)",
		r.files, r.txs, r.accounts, r.newAccounts, r.payments, r.alerts, r.newFindings)
	if len(r.notStored) == 0 {
		return s
	}
	total := 0
	var parts []string
	for _, kc := range r.notStored {
		total += kc.n
		parts = append(parts, fmt.Sprintf("%s %d", kc.kind, kc.n))
	}
	return s + fmt.Sprintf("; %d more alerts not stored (%s): every alert on the case's own accounts is stored, and the %d best-scored others per kind; "+
		"`rastro money scan` lists all, `rastro money import --max-per-kind -1` stores all", total, strings.Join(parts, ", "), r.maxPerKind)
}

// moneyImport is one run of the import over one case.
type moneyImport struct {
	ev         *evidenceEnv
	s          rastro.Store
	actor      rastro.Actor
	caseID     int64
	maxPerKind int // findings stored per alert kind; < 0 for all
	ds         *money.Dataset
	evidence   map[string]int64           // file → evidence id
	existing   map[string]*rastro.Entity  // account key → account entity already in the case
	ids        map[string]string          // account key → entity id
	roles      map[string]money.Role      // account key → holder's role
	people     map[string]rastro.CaseRole // entity id → case role
	mappings   map[int64]moneyMapped      // evidence id → how to read it (web mapping editor)
	res        moneyImportResult
}

// importMoney reads the case's money files from the vault, stores their
// accounts and payments, runs the detectors with the case's roles and
// stores each new alert as a finding. Idempotent: entities, statements and
// links are keyed by account and line, findings by kind and transfers.
func (ev *evidenceEnv) importMoney(ctx context.Context, actor rastro.Actor, caseID int64, maxPerKind int, progress func(float64, string)) (*moneyImportResult, error) {
	return ev.importMoneyMapped(ctx, actor, caseID, maxPerKind, nil, progress)
}

// importMoneyMapped is importMoney reading the items of mappings with
// their format or column mapping.
func (ev *evidenceEnv) importMoneyMapped(ctx context.Context, actor rastro.Actor, caseID int64, maxPerKind int, mappings map[int64]moneyMapped, progress func(float64, string)) (*moneyImportResult, error) {
	if maxPerKind == 0 {
		maxPerKind = defaultMaxPerKind
	}
	m := &moneyImport{ev: ev, s: ev.store, actor: actor, caseID: caseID, maxPerKind: maxPerKind, evidence: map[string]int64{},
		existing: map[string]*rastro.Entity{}, ids: map[string]string{}, roles: map[string]money.Role{}, people: map[string]rastro.CaseRole{},
		mappings: mappings}
	steps := []struct {
		msg string
		fn  func(context.Context) error
	}{
		{"reading money files", m.read},
		{"reading the case's accounts and roles", m.readCase},
		{"storing accounts", m.putAccounts},
		{"storing payments", m.putPayments},
		{"detecting patterns", m.findings},
	}
	for i, st := range steps {
		progress(float64(i)/float64(len(steps)), st.msg)
		if err := st.fn(ctx); err != nil {
			return nil, fmt.Errorf("case %d: %s: %w", caseID, st.msg, err)
		}
		if m.ds != nil && len(m.ds.Txs) == 0 {
			break
		}
	}
	m.res.reports = m.ds.Reports
	if err := ev.store.Audit(ctx, actor, &rastro.AuditEvent{Action: "money_import", CaseID: caseID, Details: m.res.String()}); err != nil {
		return nil, fmt.Errorf("case %d: audit: %w", caseID, err)
	}
	return &m.res, nil
}

// read loads every CSV evidence item of a known money format from the vault.
func (m *moneyImport) read(ctx context.Context) error {
	items, err := m.s.EvidenceList(ctx, m.actor, m.caseID)
	if err != nil {
		return err
	}
	var srcs []money.Source
	for _, it := range items {
		if !strings.HasPrefix(it.MediaType, "text/csv") {
			continue
		}
		name := it.OriginalName
		if _, dup := m.evidence[name]; dup {
			// Two items of one name: keep their lines (and link ids) apart.
			name = fmt.Sprintf("%s#evidence-%d", name, it.ID)
		}
		m.evidence[name] = it.ID
		srcs = append(srcs, money.Source{Name: name, Size: it.Size,
			Open: func() (io.ReadCloser, error) { return m.ev.vault.Open(ctx, m.caseID, it.SHA256) }})
	}
	ds, err := m.load(srcs)
	if err != nil {
		return err
	}
	m.ds, m.res.files, m.res.txs = ds, len(ds.Reports), len(ds.Txs)
	for _, rep := range ds.Reports {
		if err := m.logParse(ctx, m.evidence[rep.File], rep); err != nil {
			return fmt.Errorf("custody: %s: %w", rep.File, err)
		}
	}
	return nil
}

// logParse appends the parse event of a money file to the custody log,
// once per item: reading evidence into payments is part of its history.
func (m *moneyImport) logParse(ctx context.Context, evidenceID int64, rep *money.Report) error {
	return appendCustodyOnce(ctx, m.s, m.actor, m.caseID, evidenceID, rastro.CustodyParse, "rastro money import",
		map[string]any{"format": rep.Format, "transactions": rep.Txs, "bad_lines": rep.ErrorCount})
}

// accountProps are the statements that hold an account's key.
var accountProps = []string{"accountNumber", "iban", "publicKey"}

// readCase indexes the case's account entities by key, and the roles of
// their holders: a possible victim's account is never an alert's subject.
func (m *moneyImport) readCase(ctx context.Context) error {
	err := m.s.ForEachEntity(ctx, m.actor, m.caseID, func(e *rastro.Entity) error {
		m.people[e.ID] = e.CaseRole
		if e.Schema != "BankAccount" && e.Schema != "CryptoWallet" {
			return nil
		}
		m.existing[e.Caption] = e
		for _, st := range e.Statements {
			if slices.Contains(accountProps, st.Prop) {
				m.existing[st.Value] = e
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	links, err := m.s.Links(ctx, m.actor, m.caseID, "")
	if err != nil {
		return err
	}
	holders := map[string][]string{} // account entity id → holder entity ids
	for _, l := range links {
		if l.Schema == "Ownership" {
			holders[l.TargetID] = append(holders[l.TargetID], l.SourceID)
		}
	}
	for key, e := range m.existing {
		m.roles[key] = holderRole(append([]rastro.CaseRole{e.CaseRole}, m.rolesOf(holders[e.ID])...))
	}
	return nil
}

// rolesOf returns the case roles of entities.
func (m *moneyImport) rolesOf(ids []string) []rastro.CaseRole {
	var out []rastro.CaseRole
	for _, id := range ids {
		out = append(out, m.people[id])
	}
	return out
}

// holderRole is what the detectors need to know of an account's holders:
// any (possible) victim makes it a victim's account, whatever else is
// recorded; a suspect or person of interest makes it a suspect's.
func holderRole(roles []rastro.CaseRole) money.Role {
	r := money.RoleUnknown
	for _, x := range roles {
		switch {
		case x.IsVictim():
			return money.RoleVictim
		case x == rastro.CaseRoleSuspect || x == rastro.CaseRolePersonOfInt:
			r = money.RoleSuspect
		}
	}
	return r
}

// putAccounts stores an entity per account key, with the first line that
// names it as provenance; accounts the case already knows keep their
// entity (and gain that statement).
func (m *moneyImport) putAccounts(ctx context.Context) error {
	first := map[string]*money.Tx{}
	var keys []string
	for i := range m.ds.Txs {
		t := &m.ds.Txs[i]
		for _, k := range []string{t.From, t.To} {
			if f, ok := first[k]; !ok || t.File < f.File || t.File == f.File && t.Line < f.Line {
				if !ok {
					keys = append(keys, k)
				}
				first[k] = t
			}
		}
	}
	for _, k := range keys {
		e := m.accountEntity(k, first[k])
		m.ids[k] = e.ID
		if err := m.s.PutEntity(ctx, m.actor, e); err != nil {
			return fmt.Errorf("account %s: %w", k, err)
		}
	}
	m.res.accounts = len(keys)
	return nil
}

// accountEntity returns the entity to store for account key k, first named
// by transfer t.
func (m *moneyImport) accountEntity(k string, t *money.Tx) *rastro.Entity {
	schema, prop, value := accountSchema(k)
	st := &rastro.Statement{CaseID: m.caseID, Prop: prop, Value: value, EvidenceID: m.evidence[t.File],
		Locator: fmt.Sprintf("line:%d", t.Line), Origin: rastro.OriginImport, Confidence: 1}
	if old, ok := m.existing[k]; ok {
		if prop == "name" {
			prop = "accountNumber"
		}
		st.Prop = prop
		return &rastro.Entity{ID: old.ID, CaseID: m.caseID, Schema: old.Schema, Caption: old.Caption, CaseRole: old.CaseRole,
			LegalStatus: old.LegalStatus, Sensitivity: old.Sensitivity, Statements: []*rastro.Statement{st}}
	}
	m.res.newAccounts++
	e := &rastro.Entity{ID: accountID(k), CaseID: m.caseID, Schema: schema, Caption: value, CaseRole: rastro.CaseRoleUnknown,
		Statements: []*rastro.Statement{st}}
	if cur := accountCurrency(k, t); cur != "" {
		c := *st
		c.Prop, c.Value = "currency", cur
		e.Statements = append(e.Statements, &c)
	}
	return e
}

// accountSchema maps an account key to the FollowTheMoney schema and the
// property that holds it.
func accountSchema(k string) (schema, prop, value string) {
	switch money.AccountKind(k) {
	case "btc", "eth", "tron":
		return "CryptoWallet", "publicKey", k
	case "iban":
		return "BankAccount", "iban", k
	case "counterparty":
		// A statement's free-text counterparty: a name, not an account.
		return "LegalEntity", "name", strings.TrimPrefix(k, "cp:")
	}
	return "BankAccount", "accountNumber", k
}

// accountCurrency is the currency the account pays or receives t in.
func accountCurrency(k string, t *money.Tx) string {
	if k == t.To {
		_, cur := t.Credit()
		return cur
	}
	return t.Currency
}

// accountID is the deterministic entity id of an account key (hashed when
// the key is too long for an id).
func accountID(k string) string {
	if len(k) <= 180 {
		return "account-" + k
	}
	sum := sha256.Sum256([]byte(k))
	return "account-" + hex.EncodeToString(sum[:16])
}

// putPayments stores a Payment link per transfer, in batches.
func (m *moneyImport) putPayments(ctx context.Context) error {
	const batch = 2000
	entity := func(k string) string { return m.ids[k] }
	links := make([]*rastro.Link, 0, batch)
	for i := range m.ds.Txs {
		t := &m.ds.Txs[i]
		links = append(links, money.PaymentLink(m.caseID, t, m.evidence[t.File], entity))
		if len(links) == batch || i == len(m.ds.Txs)-1 {
			if err := m.s.PutLinks(ctx, m.actor, m.caseID, links); err != nil {
				return err
			}
			m.res.payments += len(links)
			links = links[:0]
		}
	}
	return nil
}

// findings runs the typology detectors and the red-flag rule pack, and
// stores each alert not already a finding of the case (same kind, same
// transfers) as a new finding.
func (m *moneyImport) findings(ctx context.Context) error {
	pack, err := money.DefaultRulePack()
	if err != nil {
		return err
	}
	alerts := money.NewGraph(m.ds.Txs).Scan(money.DefaultParams(), pack, m.roles, nil)
	m.res.alerts = len(alerts)
	alerts, m.res.notStored = bestPerKind(alerts, m.maxPerKind, m.touchesCase)
	m.res.maxPerKind = m.maxPerKind
	old, err := m.s.Findings(ctx, m.actor, m.caseID)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, f := range old {
		seen[findingKey(f)] = true
	}
	entity := func(k string) string { return m.ids[k] }
	for i := range alerts {
		f := money.Finding(m.caseID, &alerts[i], entity)
		if seen[findingKey(f)] {
			continue
		}
		seen[findingKey(f)] = true
		if err := m.s.CreateFinding(ctx, m.actor, f); err != nil {
			return fmt.Errorf("finding %s: %w", f.Kind, err)
		}
		m.res.newFindings++
	}
	return nil
}

// bestPerKind keeps, of each kind, every alert that touches an account the
// case already knew (known; nil: none) and the n best-scored others
// (alerts come sorted by kind, best score first); n < 0 keeps all. It
// returns the kept alerts and, per kind, how many were left out, which the
// import reports instead of dropping them silently.
func bestPerKind(alerts []money.Alert, n int, known func(*money.Alert) bool) ([]money.Alert, []kindCount) {
	if n < 0 {
		return alerts, nil
	}
	var out []money.Alert
	var dropped []kindCount
	kept := 0
	for i := range alerts {
		a := &alerts[i]
		if i == 0 || a.Kind != alerts[i-1].Kind {
			kept = 0
		}
		switch {
		case known != nil && known(a):
			out = append(out, *a)
		case kept < n:
			out = append(out, *a)
			kept++
		default:
			if len(dropped) == 0 || dropped[len(dropped)-1].kind != a.Kind {
				dropped = append(dropped, kindCount{kind: a.Kind})
			}
			dropped[len(dropped)-1].n++
		}
	}
	return out, dropped
}

// touchesCase reports whether an alert involves an account the case
// already held before the import (a suspect's, a victim's, any account an
// analyst recorded): those leads are always stored.
func (m *moneyImport) touchesCase(a *money.Alert) bool {
	for _, acc := range a.Accounts {
		if _, ok := m.existing[acc]; ok {
			return true
		}
	}
	return false
}

// findingKey identifies a money finding by kind and the transfers behind
// it (listed after "Transfers:" in the explanation), so that a re-run
// recognises it even when roles changed the wording or the store added
// notes to the explanation.
func findingKey(f *rastro.Finding) string {
	i := strings.LastIndex(f.Explanation, " Transfers: ")
	if i < 0 {
		return f.Kind + "|" + f.Explanation
	}
	var refs []string
	for _, r := range strings.Fields(f.Explanation[i+len(" Transfers: "):]) {
		last := strings.HasSuffix(r, ".")
		refs = append(refs, strings.TrimSuffix(r, "."))
		if last {
			break
		}
	}
	return f.Kind + "|" + strings.Join(refs, " ")
}
