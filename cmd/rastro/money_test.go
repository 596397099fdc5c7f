package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/intake"
	"github.com/rastro/rastro/money"
	"github.com/rastro/rastro/sqlite"
	"github.com/rastro/rastro/synth"
	"github.com/rastro/rastro/synth/truth"
)

// tinyScenario generates the tiny training case into a temporary folder.
func tinyScenario(t *testing.T) (string, *synth.Truth) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "scenario")
	tr, err := synth.Generate(context.Background(), synth.Options{Size: "tiny", Seed: 1, Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	return dir, tr
}

// runRastro runs a command line and returns stdout and stderr.
func runRastro(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

// readCSV reads a whole CSV file.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(rows) < 2 {
		t.Fatalf("%s has no data rows", path)
	}
	return rows
}

// alertFor maps a planted typology kind to the alert pattern that should find it.
var alertFor = map[string]string{
	"fan_in": money.KindFanIn, "fan_out": money.KindFanOut, "cycle": money.KindCycle,
	"scatter_gather": money.KindScatterGather, "gather_scatter": money.KindGatherScatter,
	"structuring": money.KindStructuring, "funnel": money.KindFunnel, "rapid_pass_through": money.KindPassThrough,
	"fincen_ad_payments": "ht.ad_payments", "fincen_living_costs": "ht.living_costs",
	"fincen_many_senders": "ht.many_senders", "fincen_off_hours": "ht.off_hours", "fincen_darknet_crypto": "ht.darknet_crypto",
}

// TestMoneyScanFindsPlantedTypologies scans the tiny case's money folder
// as an analyst would, without a database, and checks that every planted
// typology is covered (at least half its lines) by one alert of its pattern.
func TestMoneyScanFindsPlantedTypologies(t *testing.T) {
	dir, tr := tinyScenario(t)
	var darknet []string
	for _, a := range tr.Accounts {
		if strings.HasPrefix(a.ID, "darknet") {
			darknet = append(darknet, a.Number)
		}
	}
	list := filepath.Join(t.TempDir(), "darknet.txt")
	if err := os.WriteFile(list, []byte("# watch list\n"+strings.Join(darknet, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "alerts.csv")
	stdout := mustRastro(t, "money", "scan", "--in", filepath.Join(dir, "money"), "--out", out, "--list", "darknet="+list, "--quiet")
	rows := readCSV(t, out)
	if !slices.Equal(rows[0][:3], []string{"account", "pattern", "score"}) {
		t.Fatalf("alerts.csv header %v", rows[0])
	}
	if len(tr.Typologies) == 0 {
		t.Fatal("the tiny scenario plants no typology")
	}
	for _, ty := range tr.Typologies {
		pattern, ok := alertFor[ty.Kind]
		if !ok {
			t.Errorf("planted typology kind %q has no pattern to check", ty.Kind)
			continue
		}
		if !covered(rows[1:], pattern, dir, ty.Transactions) {
			t.Errorf("typology %s (%s): no %s alert covers half of its %d lines", ty.ID, ty.Kind, pattern, len(ty.Transactions))
		}
		if !strings.Contains(stdout, pattern) {
			t.Errorf("the per-kind counts do not mention %s:\n%s", pattern, stdout)
		}
	}
}

// covered reports whether an alert row of pattern names at least half of
// the planted lines.
func covered(rows [][]string, pattern, dir string, txs []truth.TxRef) bool {
	for _, r := range rows {
		if r[1] != pattern {
			continue
		}
		got := strings.Fields(r[7])
		hit := 0
		for _, x := range txs {
			if slices.Contains(got, filepath.Join(dir, x.File)+":"+strconv.Itoa(x.Line)) {
				hit++
			}
		}
		if hit*2 >= len(txs) {
			return true
		}
	}
	return false
}

// TestMoneyTrace traces a planted fan-out forward and checks that the
// printed totals are the sums of the CSV's attributed amounts.
func TestMoneyTrace(t *testing.T) {
	dir, tr := tinyScenario(t)
	from := ""
	for _, ty := range tr.Typologies {
		if ty.Kind == "fan_out" {
			from = accountNumber(tr, ty.Accounts[0])
			break
		}
	}
	if from == "" {
		t.Fatal("the tiny scenario plants no fan-out to trace")
	}
	out := filepath.Join(t.TempDir(), "trace.csv")
	stdout := mustRastro(t, "money", "trace", "--in", filepath.Join(dir, "money"), "--from", from, "--hops", "3", "--model", "haircut", "--out", out, "--quiet")
	rows := readCSV(t, out)
	if rows[0][0] != "hop" || rows[0][4] != "attributed" {
		t.Fatalf("trace.csv header %v", rows[0])
	}
	for _, r := range rows[1:] {
		if r[0] == "1" && r[1] != from {
			t.Errorf("hop 1 leaves %s, not the traced account %s", r[1], from)
		}
		if r[7] != "haircut" || r[9] == "" {
			t.Errorf("row %v: want model haircut and the lines behind the edge", r)
		}
		if _, err := money.ParseAmount(r[4], false); err != nil {
			t.Fatalf("row %v: attributed amount: %v", r, err)
		}
	}
	if !strings.Contains(stdout, "trace forward from "+from+" (haircut)") {
		t.Errorf("no trace summary:\n%s", stdout)
	}
	// Each printed total is the sum of its hop's rows in that currency.
	totals := 0
	for _, line := range strings.Split(stdout, "\n") {
		f := strings.Fields(line)
		if len(f) < 5 || f[0] != "hop" {
			continue
		}
		totals++
		hop, amount, cur := f[1], f[3], strings.Join(f[4:], " ")
		want := money.Amount{}
		for _, r := range rows[1:] {
			if r[0] == hop && r[6] == cur {
				a, _ := money.ParseAmount(r[4], false)
				want = want.Add(a)
			}
		}
		if got := money.MustAmount(amount); got.Cmp(want) != 0 || want.IsZero() {
			t.Errorf("%q: CSV rows of hop %s in %s add up to %s", line, hop, cur, want)
		}
	}
	if totals == 0 {
		t.Errorf("trace printed no totals:\n%s", stdout)
	}
}

// accountNumber returns the number of a truth account id.
func accountNumber(tr *synth.Truth, id string) string {
	for _, a := range tr.Accounts {
		if a.ID == id {
			return a.Number
		}
	}
	return ""
}

func TestMoneyCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "btc.csv")
	if err := os.WriteFile(bad, []byte("txid,time,from,to,amount_btc,fee_btc\n"+
		"a1,2024-05-17T07:44:15Z,1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,1BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB,0.5,0.0001\n"+
		"a2,yesterday,1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,1BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB,0.5,0.0001\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A bad line is reported as file:line and does not stop the scan.
	stdout, stderr, err := runRastro(t, "money", "scan", "--in", bad, "--quiet")
	if err != nil || !strings.Contains(stderr, bad+":3: ") || !strings.Contains(stdout, "1 transactions") {
		t.Errorf("scan with a bad line: err %v\nstdout %s\nstderr %s", err, stdout, stderr)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no input", []string{"money", "scan"}, "--in"},
		{"bad format", []string{"money", "scan", "--in", bad, "--format", "excel"}, "--format"},
		{"wrong format", []string{"money", "scan", "--in", bad, "--format", "amlsim", "--quiet"}, "no transactions"},
		{"trace without start", []string{"money", "trace", "--in", bad}, "--from"},
		{"trace from both", []string{"money", "trace", "--in", bad, "--from", "x", "--tx", "y"}, "--from"},
		{"unknown account", []string{"money", "trace", "--in", bad, "--from", "nobody", "--quiet"}, "unknown account"},
		{"unknown model", []string{"money", "trace", "--in", bad, "--tx", "a1", "--model", "lifo", "--quiet"}, "model"},
		{"import without case", []string{"money", "import", "--data", dir}, "--case"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runRastro(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

// caseCounts are what a user sees change on a case's dashboard.
type caseCounts struct {
	Entities, Payments, Findings, Custody int
}

func countCase(t *testing.T, s rastro.Store, caseID int64) caseCounts {
	t.Helper()
	ctx, sys := context.Background(), rastro.SystemActor("test")
	var c caseCounts
	if err := s.ForEachEntity(ctx, sys, caseID, func(*rastro.Entity) error { c.Entities++; return nil }); err != nil {
		t.Fatal(err)
	}
	links, err := s.Links(ctx, sys, caseID, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		if l.Schema == "Payment" {
			c.Payments++
		}
	}
	fs, err := s.Findings(ctx, sys, caseID)
	if err != nil {
		t.Fatal(err)
	}
	c.Findings = len(fs)
	evs, err := s.CustodyEvents(ctx, sys, caseID, 0)
	if err != nil {
		t.Fatal(err)
	}
	c.Custody = len(evs)
	return c
}

// moneyCase stores the tiny training case's money files as evidence of a
// new case in a store in dataDir, and records the possible victims'
// accounts as an analyst would.
func moneyCase(t *testing.T, s rastro.Store, dataDir string) (ev *evidenceEnv, caseID int64, victims map[string]bool, moneyDir string) {
	t.Helper()
	ctx, sys := context.Background(), rastro.SystemActor("test")
	dir, tr := tinyScenario(t)
	ag := &rastro.Agency{Name: "Unidad Ficticia", Country: "CR", Kind: rastro.AgencyPolice}
	if err := s.CreateAgency(ctx, sys, ag); err != nil {
		t.Fatal(err)
	}
	k := &rastro.Case{AgencyID: ag.ID, Title: "Caso de entrenamiento", Jurisdiction: "CR", Status: rastro.CaseOpen}
	if err := s.CreateCase(ctx, sys, k); err != nil {
		t.Fatal(err)
	}
	ev, err := openEvidence(dataDir, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, errs := ev.intake().Ingest(ctx, sys, k.ID, filepath.Join(dir, "money"), intake.Acquisition{Source: "training scenario"}, nil); len(errs) > 0 {
		t.Fatal(errs[0])
	}
	return ev, k.ID, markVictimAccounts(t, s, k.ID, tr), filepath.Join(dir, "money")
}

// TestMoneyImport runs the money.import job on a case whose analyst has
// recorded the possible victims' accounts, checks what a user sees
// (payments with their source line, explained findings in which possible
// victims come after the subjects and are named as victims), then imports
// again from the command line and checks that nothing changed.
func TestMoneyImport(t *testing.T) {
	ctx, sys := context.Background(), rastro.SystemActor("test")
	data := t.TempDir()
	s, err := sqlite.Open(ctx, filepath.Join(data, "rastro.db"))
	if err != nil {
		t.Fatal(err)
	}
	ev, caseID, victims, moneyDir := moneyCase(t, s, data)
	payload, _ := json.Marshal(moneyPayload{CaseID: caseID})
	if err := s.Enqueue(ctx, sys, &rastro.Job{CaseID: caseID, Kind: jobMoneyImport, Payload: payload, MaxAttempts: 1}); err != nil {
		t.Fatal(err)
	}
	if err := newRunner(s, ev, slog.New(slog.NewJSONHandler(io.Discard, nil)), 1).RunPending(ctx); err != nil {
		t.Fatal(err)
	}
	js, err := s.Jobs(ctx, sys, caseID)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range js {
		if j.Kind == jobMoneyImport && (j.State != rastro.JobDone || !strings.Contains(j.Message, "new findings")) {
			t.Fatalf("money.import job: %+v", j)
		}
	}
	before := countCase(t, s, caseID)
	if before.Payments == 0 || before.Findings == 0 {
		t.Fatalf("after the import: %+v; want payments and findings", before)
	}
	checkPayments(t, s, caseID, moneyDir)
	checkVictimFindings(t, s, caseID, victims)
	s.Close()

	stdout := mustRastro(t, "money", "import", "--data", data, "--case", strconv.FormatInt(caseID, 10), "--quiet")
	if !strings.Contains(stdout, "(0 new)") || !strings.Contains(stdout, "(0 new findings)") {
		t.Errorf("second import printed %q; want nothing new", stdout)
	}
	s, err = sqlite.Open(ctx, filepath.Join(data, "rastro.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if after := countCase(t, s, caseID); after != before {
		t.Errorf("second import changed the case: %+v, before %+v", after, before)
	}
}

// markVictimAccounts records each victim's account as held by a possible
// victim, as an analyst would, and returns their entity ids.
func markVictimAccounts(t *testing.T, s rastro.Store, caseID int64, tr *synth.Truth) map[string]bool {
	t.Helper()
	ctx, sys := context.Background(), rastro.SystemActor("test")
	ids := map[string]bool{}
	for _, a := range tr.Accounts {
		if a.Role != "victim" {
			continue
		}
		person := &rastro.Entity{ID: "person-" + a.ID, CaseID: caseID, Schema: "Person", Caption: "Possible victim " + a.ID, CaseRole: rastro.CaseRolePossibleVictim}
		acct := &rastro.Entity{ID: "account-" + a.Number, CaseID: caseID, Schema: "BankAccount", Caption: a.Number,
			Statements: []*rastro.Statement{{CaseID: caseID, Prop: "accountNumber", Value: a.Number, Origin: rastro.OriginAnalyst, Confidence: 1}}}
		for _, e := range []*rastro.Entity{person, acct} {
			if err := s.PutEntity(ctx, sys, e); err != nil {
				t.Fatal(err)
			}
		}
		own := &rastro.Link{ID: "owns-" + a.ID, Schema: "Ownership", SourceID: person.ID, TargetID: acct.ID, Origin: rastro.OriginAnalyst}
		if err := s.PutLinks(ctx, sys, caseID, []*rastro.Link{own}); err != nil {
			t.Fatal(err)
		}
		ids[acct.ID] = true
	}
	if len(ids) == 0 {
		t.Fatal("the tiny scenario has no possible victim's account")
	}
	return ids
}

// checkPayments checks that a payment points at the line of its evidence
// file that shows its amount, and that the accounts it joins say where
// they were first seen.
func checkPayments(t *testing.T, s rastro.Store, caseID int64, moneyDir string) {
	t.Helper()
	ctx, sys := context.Background(), rastro.SystemActor("test")
	links, err := s.Links(ctx, sys, caseID, "")
	if err != nil {
		t.Fatal(err)
	}
	var p *rastro.Link
	for _, l := range links {
		if l.Schema == "Payment" {
			p = l
			if l.EvidenceID == 0 || !strings.HasPrefix(l.Locator, "line:") || l.Amount == "" {
				t.Fatalf("payment %s lacks provenance or amount: %+v", l.ID, l)
			}
		}
	}
	item, err := s.EvidenceByID(ctx, sys, caseID, p.EvidenceID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(moneyDir, item.OriginalName))
	if err != nil {
		t.Fatalf("payment %s points at item %q: %v", p.ID, item.OriginalName, err)
	}
	evs, err := s.CustodyEvents(ctx, sys, caseID, item.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(evs, func(e *rastro.CustodyEvent) bool { return e.Action == rastro.CustodyParse }) {
		t.Errorf("the custody log of %s has no parse event: %+v", item.OriginalName, evs)
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(p.Locator, "line:"))
	if lines := strings.Split(string(b), "\n"); n < 2 || n > len(lines) || !strings.Contains(lines[n-1], p.Amount) {
		t.Errorf("payment %s of %s points at %s %s, which does not show that amount", p.ID, p.Amount, item.OriginalName, p.Locator)
	}
	acct, err := s.Entity(ctx, sys, caseID, p.TargetID)
	if err != nil {
		t.Fatal(err)
	}
	ok := false
	for _, st := range acct.Statements {
		ok = ok || st.EvidenceID != 0 && strings.HasPrefix(st.Locator, "line:")
	}
	if !ok {
		t.Errorf("account %s has no statement pointing at a money line: %+v", acct.ID, acct.Statements)
	}
}

// checkVictimFindings finds the money findings involving a possible
// victim's account and checks that it is listed after the subjects and
// named as a victim in the explanation.
func checkVictimFindings(t *testing.T, s rastro.Store, caseID int64, victim map[string]bool) {
	t.Helper()
	fs, err := s.Findings(context.Background(), rastro.SystemActor("test"), caseID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range fs {
		if !strings.HasPrefix(f.Kind, "money.") {
			continue
		}
		first := slices.IndexFunc(f.EntityIDs, func(id string) bool { return victim[id] })
		if first < 0 {
			continue
		}
		n++
		for _, id := range f.EntityIDs[first:] {
			if !victim[id] {
				t.Errorf("finding %d (%s) lists %s after a possible victim's account: %v", f.ID, f.Kind, id, f.EntityIDs)
			}
		}
		if !strings.Contains(strings.ToLower(f.Explanation), "possible victim") {
			t.Errorf("finding %d (%s) involves a possible victim's account but does not say so: %s", f.ID, f.Kind, f.Explanation)
		}
	}
	if n == 0 {
		t.Fatal("no money finding involves a possible victim's account; the check cannot run")
	}
}

func TestBestPerKind(t *testing.T) {
	alerts := []money.Alert{{Kind: "a", Score: .9}, {Kind: "a", Score: .5}, {Kind: "a", Score: .1, Account: "case"}, {Kind: "b", Score: .3}}
	known := func(a *money.Alert) bool { return a.Account == "case" }
	tests := []struct {
		name    string
		n       int
		known   func(*money.Alert) bool
		want    []string
		dropped []kindCount
	}{
		{"all", -1, nil, []string{"a0.9", "a0.5", "a0.1", "b0.3"}, nil},
		{"two per kind", 2, nil, []string{"a0.9", "a0.5", "b0.3"}, []kindCount{{"a", 1}}},
		{"one per kind", 1, nil, []string{"a0.9", "b0.3"}, []kindCount{{"a", 2}}},
		{"case accounts always kept", 1, known, []string{"a0.9", "a0.1", "b0.3"}, []kindCount{{"a", 1}}},
		{"none but case accounts", 0, known, []string{"a0.1"}, []kindCount{{"a", 2}, {"b", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, dropped := bestPerKind(alerts, tt.n, tt.known)
			var got []string
			for _, a := range kept {
				got = append(got, a.Kind+strconv.FormatFloat(a.Score, 'g', -1, 64))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("bestPerKind(%d) = %v, want %v", tt.n, got, tt.want)
			}
			if !slices.Equal(dropped, tt.dropped) {
				t.Errorf("bestPerKind(%d) dropped %v, want %v", tt.n, dropped, tt.dropped)
			}
		})
	}
}

func TestImportSummaryCountsAlertsNotStored(t *testing.T) {
	r := &moneyImportResult{alerts: 40, newFindings: 27, maxPerKind: 25, notStored: []kindCount{{"bipartite", 10}, {"cycle", 3}}}
	s := r.String()
	for _, want := range []string{"(27 new findings)", "13 more alerts not stored (bipartite 10, cycle 3)", "--max-per-kind -1"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary %q does not say %q", s, want)
		}
	}
	if s := (&moneyImportResult{alerts: 3, newFindings: 3}).String(); strings.Contains(s, "not stored") {
		t.Errorf("summary %q mentions alerts not stored when all were", s)
	}
}

func TestFindingKeyIgnoresAddedNotes(t *testing.T) {
	a := &rastro.Finding{Kind: "money.fan_in", Explanation: "Account 1 received. Transfers: m/a.csv:2 m/a.csv:3."}
	b := &rastro.Finding{Kind: "money.fan_in", Explanation: "Account 1 received. Possible victims' accounts involved (9). Transfers: m/a.csv:2 m/a.csv:3.\nEntity account-9 is recorded as a (possible) victim."}
	c := &rastro.Finding{Kind: "money.fan_in", Explanation: "Account 1 received. Transfers: m/a.csv:2 m/a.csv:4."}
	if findingKey(a) != findingKey(b) {
		t.Errorf("same kind and transfers, different keys: %q, %q", findingKey(a), findingKey(b))
	}
	if findingKey(a) == findingKey(c) {
		t.Errorf("different transfers, same key %q", findingKey(a))
	}
}

func TestHolderRole(t *testing.T) {
	tests := []struct {
		name  string
		roles []rastro.CaseRole
		want  money.Role
	}{
		{"none", nil, money.RoleUnknown},
		{"suspect", []rastro.CaseRole{rastro.CaseRoleUnknown, rastro.CaseRoleSuspect}, money.RoleSuspect},
		{"victim wins over suspect", []rastro.CaseRole{rastro.CaseRoleSuspect, rastro.CaseRolePossibleVictim}, money.RoleVictim},
		{"witness", []rastro.CaseRole{rastro.CaseRoleWitness}, money.RoleUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := holderRole(tt.roles); got != tt.want {
				t.Errorf("holderRole(%v) = %q, want %q", tt.roles, got, tt.want)
			}
		})
	}
}
