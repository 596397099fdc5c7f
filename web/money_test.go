package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/money"
	"github.com/rastro/rastro/money/casemoney"
)

// moneyFixture is the base fixture plus a small money story written as the
// money import writes it (money.PaymentLink from transfers of one CSV
// evidence item): a client pays a possible victim's account, the
// controller takes the money, pays for ads and sends the rest to the
// financier's wallet. One payment leaves the controller's account before
// the victim's money arrived, so a time-respecting trace must not follow it.
type moneyFixture struct {
	*fixture
	evidenceID int64
	accounts   map[string]*rastro.Entity // by short name
	txs        []money.Tx
	adFinding  *rastro.Finding // ad payments on the controller's account
	vicFinding *rastro.Finding // names the victim's account
}

// Short names of the fixture's accounts.
const (
	accClient = "client"
	accVictim = "victim"
	accCtl    = "controller"
	accAds    = "ads"
	accFin    = "financier"
	accEarly  = "early"
)

// newMoneyFixture builds the money story on a fresh fixture.
func newMoneyFixture(t *testing.T) *moneyFixture {
	t.Helper()
	ctx, sys := context.Background(), rastro.SystemActor("test")
	f := &moneyFixture{fixture: newFixture(t), accounts: map[string]*rastro.Entity{}}
	day := func(d int) time.Time { return time.Date(2024, 1, d, 10, 0, 0, 0, time.UTC) }
	csvText := "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering\n"
	for i, p := range []struct {
		from, to, amt string
		at            time.Time
	}{
		{accCtl, accEarly, "999.00", day(1)}, // before any money arrived
		{accClient, accVictim, "300.00", day(5)},
		{accVictim, accCtl, "300.00", day(6)},
		{accCtl, accAds, "50.00", day(7)},
		{accCtl, accFin, "200.00", day(10)},
		{accClient, accVictim, "120.00", day(40)},
	} {
		f.txs = append(f.txs, money.Tx{From: p.from, To: p.to, Amount: money.MustAmount(p.amt), Currency: "USD", Time: p.at,
			Format: "amlworld", File: "payments.csv", Line: i + 2})
		csvText += p.at.Format("2006/01/02 15:04") + ",1," + p.from + ",1," + p.to + "," + p.amt + ",US Dollar," + p.amt + ",US Dollar,Wire,0\n"
	}
	f.evidenceID = f.putEvidence(ctx, []byte(csvText), "payments.csv", "text/csv", "EX-7")
	ev := &rastro.Evidence{ID: f.evidenceID}
	fin := &rastro.Entity{ID: "p-financier", CaseID: f.caseID, Schema: "Person", Caption: "Pedro Financista", CaseRole: rastro.CaseRoleSuspect}
	must(t, f.db.PutEntity(ctx, sys, fin))
	holders := map[string]string{accVictim: f.victim.ID, accCtl: f.entity.ID, accFin: fin.ID}
	for _, a := range []struct{ name, schema, caption string }{
		{accClient, "BankAccount", "GT00CLIENT0001"}, {accVictim, "BankAccount", "GT00VICTIM0002"}, {accCtl, "BankAccount", "GT00CONTROL003"},
		{accAds, "BankAccount", "US00ADSPLATFRM"}, {accFin, "CryptoWallet", "bc1qfictionalfinancier0wallet"}, {accEarly, "BankAccount", "GT00EARLYPAY05"},
	} {
		e := &rastro.Entity{ID: "account-" + a.name, CaseID: f.caseID, Schema: a.schema, Caption: a.caption, CaseRole: rastro.CaseRoleUnknown}
		must(t, f.db.PutEntity(ctx, sys, e))
		f.accounts[a.name] = e
		if h := holders[a.name]; h != "" {
			own := &rastro.Link{ID: "owns-" + a.name, Schema: "Ownership", SourceID: h, TargetID: e.ID, Origin: rastro.OriginImport}
			must(t, f.db.PutLinks(ctx, sys, f.caseID, []*rastro.Link{own}))
		}
	}
	var links []*rastro.Link
	for i := range f.txs {
		links = append(links, money.PaymentLink(f.caseID, &f.txs[i], ev.ID, func(k string) string { return "account-" + k }))
	}
	must(t, f.db.PutLinks(ctx, sys, f.caseID, links))
	f.adFinding = &rastro.Finding{CaseID: f.caseID, Kind: "money.ht.ad_payments", Title: "Ad payments on GT00CONTROL003 (FIN-2020-A008/financial/7)",
		Explanation: "GT00CONTROL003 paid an online ads platform 50.00 USD the day after receiving 300.00 USD from a possible victim's account. Transfers: payments.csv:4 payments.csv:5.",
		Severity:    4, EntityIDs: []string{"account-" + accCtl, "account-" + accVictim}}
	must(t, f.db.CreateFinding(ctx, sys, f.adFinding))
	f.vicFinding = &rastro.Finding{CaseID: f.caseID, Kind: "money.fan_in", Title: "Fan-in on GT00VICTIM0002",
		Explanation: "Two payments from one client. Transfers: payments.csv:3 payments.csv:7.", Severity: 2, EntityIDs: []string{"account-" + accVictim}}
	must(t, f.db.CreateFinding(ctx, sys, f.vicFinding))
	return f
}

// acc returns the entity id of a short account name.
func (f *moneyFixture) acc(name string) string { return f.accounts[name].ID }

// casePath prefixes a path with the case's URL.
func (f *moneyFixture) casePath(p string) string { return "/cases/" + itoa(f.caseID) + p }

func TestAccountPage(t *testing.T) {
	f := newMoneyFixture(t)
	cookie, _ := f.session(f.users["investigator-m"])
	res := f.get(f.casePath("/accounts/"+f.acc(accCtl)), cookie)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	b := body(t, res)
	for _, want := range []string{
		"Juan Ficticio",                     // the holder
		"300.00",                            // money in
		"1249.00",                           // money out: 999 + 50 + 200
		`data-testid="flow-chart"`,          // the SVG chart
		`class="bar-in"`, `class="bar-out"`, // both series
		"paid an online ads platform", // the alert's explanation
		`href="/cases/` + itoa(f.caseID) + `/payments?id=money%3Apayments.csv%3A4"`, // a payment's source line
		`data-testid="trace-forward"`,
	} {
		if !strings.Contains(b, want) {
			t.Errorf("account page lacks %q", want)
		}
	}
	if strings.Contains(b, "<script>") {
		t.Error("account page has an inline script")
	}
	ent := body(t, f.get(f.casePath("/entities/"+f.acc(accCtl)), cookie))
	if !strings.Contains(ent, `href="/cases/`+itoa(f.caseID)+`/accounts/`+f.acc(accCtl)+`"`) {
		t.Error("entity page of an account does not link to its account page")
	}
	if res := f.get(f.casePath("/accounts/"+f.entity.ID), cookie); res.StatusCode != http.StatusBadRequest {
		t.Errorf("account page of a person: %d, want 400", res.StatusCode)
	}
}

func TestAccountPageRedactsVictimHolder(t *testing.T) {
	f := newMoneyFixture(t)
	cookie, _ := f.session(f.users["analyst-m"]) // no victims' compartment
	b := body(t, f.get(f.casePath("/accounts/"+f.acc(accVictim)), cookie))
	if !strings.Contains(b, `data-testid="victim-account-notice"`) {
		t.Error("victim's account page has no victim notice")
	}
	if strings.Contains(b, "Ana Ficticia") {
		t.Error("an analyst sees the possible victim's name on her account page")
	}
	holders := cut(t, b, `data-testid="account-holders"`, "</dd>")
	if !strings.Contains(holders, "badge-victim") || strings.Contains(holders, "suspect") {
		t.Errorf("holder not shown as a possible victim: %s", holders)
	}
}

func TestPaymentPageShowsSourceLine(t *testing.T) {
	f := newMoneyFixture(t)
	cookie, _ := f.session(f.users["analyst-m"])
	b := body(t, f.get(f.casePath("/payments?id="+url.QueryEscape("money:payments.csv:4")), cookie))
	for _, want := range []string{"payments.csv", ">line:4<", "300.00 USD", `href="/cases/` + itoa(f.caseID) + `/evidence/` + itoa(f.evidenceID) + `"`} {
		if !strings.Contains(b, want) {
			t.Errorf("payment page lacks %q", want)
		}
	}
	if res := f.get(f.casePath("/payments?id=nope"), cookie); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown payment: %d, want 404", res.StatusCode)
	}
}

// engineTrace runs money.Trace on the case's payments as the store holds them.
func (f *moneyFixture) engineTrace(t *testing.T, o money.TraceOptions) (*money.Flow, *casemoney.Case) {
	t.Helper()
	cm, err := casemoney.Load(context.Background(), f.db, rastro.SystemActor("test"), f.caseID)
	must(t, err)
	o.MaxEdges = maxTraceEdges
	flow, err := cm.Graph.Trace(o)
	must(t, err)
	return flow, cm
}

func TestTraceAPIMatchesEngine(t *testing.T) {
	f := newMoneyFixture(t)
	secret, _ := f.apiToken(f.users["analyst-m"], "read")
	for _, tc := range []struct {
		name, query string
		opts        money.TraceOptions
	}{
		{"forward fifo from the victim", "from=" + f.acc(accVictim) + "&dir=forward&hops=3&model=fifo",
			money.TraceOptions{Account: f.acc(accVictim), Hops: 3, Model: money.ModelFIFO}},
		{"forward poison from a payment", "from=" + url.QueryEscape("money:payments.csv:3") + "&hops=4&model=poison",
			money.TraceOptions{TxID: "money:payments.csv:3", Hops: 4, Model: money.ModelPoison}},
		{"backward haircut from the wallet", "from=" + f.acc(accFin) + "&dir=backward&hops=3&model=haircut",
			money.TraceOptions{Account: f.acc(accFin), Backward: true, Hops: 3, Model: money.ModelHaircut}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := newAPIGet("/api/v1/cases/"+itoa(f.caseID)+"/trace?"+tc.query, secret)
			res := f.do(req)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", res.StatusCode, body(t, res))
			}
			var got traceJSON
			must(t, json.NewDecoder(res.Body).Decode(&got))
			want, _ := f.engineTrace(t, tc.opts)
			if d := cmp.Diff(edgeSummary(want.Edges), edgeSummary(got.Edges)); d != "" {
				t.Errorf("edges differ from money.Trace (-engine +api):\n%s", d)
			}
			if len(got.Nodes) != len(want.Nodes) {
				t.Errorf("%d nodes, engine %d", len(got.Nodes), len(want.Nodes))
			}
		})
	}
}

// edgeSummary is what a trace's edges say, comparable across JSON.
func edgeSummary(es []money.FlowEdge) []string {
	var out []string
	for _, e := range es {
		out = append(out, itoa(int64(e.Source))+">"+itoa(int64(e.Target))+" "+e.Amount.String()+" "+e.Currency+" "+strings.Join(e.TxIDs, ","))
	}
	return out
}

// newAPIGet is a GET with a bearer token.
func newAPIGet(path, secret string) *http.Request {
	req, _ := http.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	return req
}

func TestTraceRespectsTime(t *testing.T) {
	f := newMoneyFixture(t)
	secret, _ := f.apiToken(f.users["analyst-m"], "read")
	res := f.do(newAPIGet("/api/v1/cases/"+itoa(f.caseID)+"/trace?from="+f.acc(accVictim)+"&hops=5&model=poison", secret))
	var got traceJSON
	must(t, json.NewDecoder(res.Body).Decode(&got))
	_, cm := f.engineTrace(t, money.TraceOptions{Account: f.acc(accVictim)})
	arrived := map[int]time.Time{} // node → earliest arrival of traced money
	reached := map[string]bool{}
	for _, e := range got.Edges {
		reached[got.Nodes[e.Target].Account] = true
		first := time.Time{}
		for _, id := range e.TxIDs {
			at := cm.Payments[id].Start
			if a, ok := arrived[e.Source]; ok && at.Before(a) {
				t.Errorf("payment %s at %s leaves node %d before money arrived at %s", id, at, e.Source, a)
			}
			if first.IsZero() || at.Before(first) {
				first = at
			}
		}
		arrived[e.Target] = first
	}
	if reached[f.acc(accEarly)] {
		t.Error("the trace followed a payment made before the money arrived")
	}
	if !reached[f.acc(accFin)] || !reached[f.acc(accAds)] {
		t.Errorf("trace missed the financier or the ads: reached %v", reached)
	}
}

func TestTraceCSVIsAuditedExport(t *testing.T) {
	f := newMoneyFixture(t)
	cookie, _ := f.session(f.users["analyst-m"])
	res := f.get(f.casePath("/trace?from="+f.acc(accVictim)+"&hops=3&format=csv"), cookie)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(res.Body).ReadAll()
	must(t, err)
	want, cm := f.engineTrace(t, money.TraceOptions{Account: f.acc(accVictim), Hops: 3})
	if d := cmp.Diff(traceCSVHeader, rows[0]); d != "" {
		t.Errorf("header (-want +got):\n%s", d)
	}
	if len(rows)-1 != len(want.Edges) {
		t.Fatalf("%d rows, engine has %d edges", len(rows)-1, len(want.Edges))
	}
	for i, e := range want.Edges {
		r := rows[i+1]
		if r[3] != want.Nodes[e.Target].Account || r[4] != cm.Caption(want.Nodes[e.Target].Account) || r[6] != e.Amount.String() || r[8] != e.Currency {
			t.Errorf("row %d = %v, engine edge %+v", i+1, r, e)
		}
	}
	if !strings.Contains(rows[len(rows)-1][11], "evidence:"+itoa(f.evidenceID)+"#line:") {
		t.Errorf("sources column %q names no evidence line", rows[len(rows)-1][11])
	}
	evs := f.auditActions("export")
	if len(evs) != 1 || evs[0].Object != "trace:"+f.acc(accVictim) || evs[0].CaseID != f.caseID {
		t.Errorf("export audit events: %+v", evs)
	}
}

func TestTracePageDrawsSankey(t *testing.T) {
	f := newMoneyFixture(t)
	cookie, _ := f.session(f.users["investigator-m"])
	b := body(t, f.get(f.casePath("/trace?from="+f.acc(accCtl)+"&dir=forward&hops=4&model=fifo"), cookie))
	sankey := cut(t, b, `data-testid="sankey"`, "</svg>")
	for _, want := range []string{"bc1qfictionalfinancier0wallet", "US00ADSPLATFRM", `class="band"`, "<title>"} {
		if !strings.Contains(sankey, want) {
			t.Errorf("sankey lacks %q", want)
		}
	}
	if strings.Contains(b, "<script>") {
		t.Error("trace page has an inline script")
	}
	if !strings.Contains(b, `data-testid="trace-table"`) || !strings.Contains(b, "/payments?id=money%3Apayments.csv%3A5") {
		t.Error("trace table does not list the transfers behind the edges")
	}
}

func TestTraceBadParams(t *testing.T) {
	f := newMoneyFixture(t)
	cookie, _ := f.session(f.users["analyst-m"])
	from := "from=" + f.acc(accCtl)
	for _, tc := range []struct{ name, query, says string }{
		{"no from", "dir=forward", "from is required"},
		{"unknown from", "from=nobody", "no account with payments"},
		{"bad dir", from + "&dir=sideways", "dir must be forward or backward"},
		{"zero hops", from + "&hops=0", "hops must be"},
		{"too many hops", from + "&hops=99", "hops must be"},
		{"bad model", from + "&model=lifo", "model must be fifo, haircut or poison"},
		{"bad window", from + "&window=soon", "window must be"},
		{"reversed range", from + "&window=2024-03-01..2024-01-01", "ends before it starts"},
		{"bad format", from + "&format=xml", "format must be"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := f.get(f.casePath("/trace?"+tc.query), cookie)
			if b := body(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, tc.says) {
				t.Errorf("status %d, want 400 saying %q: %s", res.StatusCode, tc.says, truncate(b, 300))
			}
		})
	}
	secret, _ := f.apiToken(f.users["analyst-m"], "read")
	res := f.do(newAPIGet("/api/v1/cases/"+itoa(f.caseID)+"/trace?"+from+"&hops=x", secret))
	if p := decodeProblem(t, res); p.Status != http.StatusBadRequest || !strings.Contains(p.Detail, "hops") {
		t.Errorf("API problem %+v", p)
	}
}

func TestMoneyFindingShowsVictimAsVictim(t *testing.T) {
	f := newMoneyFixture(t)
	cookie, _ := f.session(f.users["caseworker-m"])
	b := body(t, f.get(f.findingsPath()+"?kind=money.fan_in", cookie))
	article := cut(t, b, `aria-labelledby="finding-`+itoa(f.vicFinding.ID)+`"`, "</article>")
	victims := cut(t, article, `data-testid="finding-victims"`, "</ul>")
	for _, want := range []string{"GT00VICTIM0002", `data-testid="victim-witness"`, "Ana Ficticia", "badge-victim"} {
		if !strings.Contains(victims, want) {
			t.Errorf("victims list lacks %q: %s", want, victims)
		}
	}
	if strings.Contains(article, `data-testid="finding-subjects"`) {
		t.Errorf("a possible victim's account is listed as a subject: %s", article)
	}
	if strings.Contains(victims, "badge-suspect") {
		t.Error("the victim's entry carries a suspect badge")
	}
	// The ad-payment alert: the controller's account is the subject, with
	// its transfers linked to their source lines.
	b = body(t, f.get(f.findingsPath()+"?kind=money.ht.ad_payments", cookie))
	article = cut(t, b, `aria-labelledby="finding-`+itoa(f.adFinding.ID)+`"`, "</article>")
	subjects := cut(t, article, `data-testid="finding-subjects"`, "</ul>")
	if !strings.Contains(subjects, "GT00CONTROL003") || !strings.Contains(subjects, "/accounts/"+f.acc(accCtl)) || strings.Contains(subjects, "GT00VICTIM0002") {
		t.Errorf("subjects: %s", subjects)
	}
	if !strings.Contains(article, "/payments?id=money%3Apayments.csv%3A4") {
		t.Error("the alert's transfers do not link to their source lines")
	}
}

// cut returns s from the first occurrence of from to the next end.
func cut(t *testing.T, s, from, end string) string {
	t.Helper()
	i := strings.Index(s, from)
	if i < 0 {
		t.Fatalf("no %q in page", from)
	}
	j := strings.Index(s[i:], end)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j]
}
