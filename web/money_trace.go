package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/money"
	"github.com/rastro/rastro/money/casemoney"
)

// traceQuery is a parsed trace request.
type traceQuery struct {
	From    string // account entity id or payment id, as given
	Dir     string // forward or backward
	Hops    int
	Model   string
	Window  string // as given
	Merge   bool
	Format  string // "", "csv" (or "json" on the API)
	Options money.TraceOptions
}

// Trace bounds.
const (
	maxTraceHops  = 10
	maxTraceEdges = 2000
)

// parseTraceQuery reads and checks the trace parameters; every mistake is
// an EINVALID naming the parameter and what it accepts.
func parseTraceQuery(q url.Values) (*traceQuery, error) {
	t := &traceQuery{From: q.Get("from"), Dir: or(q.Get("dir"), "forward"), Model: or(q.Get("model"), money.ModelFIFO),
		Window: q.Get("window"), Format: q.Get("format"), Merge: q.Get("merge") == "1" || q.Get("merge") == "true"}
	if t.From == "" {
		return nil, rastro.Errorf(rastro.EINVALID, "Parameter from is required: an account's entity id or a payment id.")
	}
	switch t.Dir {
	case "forward", "backward":
	default:
		return nil, rastro.Errorf(rastro.EINVALID, "Parameter dir must be forward or backward, not %q.", truncate(t.Dir, 40))
	}
	switch t.Model {
	case money.ModelFIFO, money.ModelHaircut, money.ModelPoison:
	default:
		return nil, rastro.Errorf(rastro.EINVALID, "Parameter model must be fifo, haircut or poison, not %q.", truncate(t.Model, 40))
	}
	t.Hops = 4
	if h := q.Get("hops"); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil || n < 1 || n > maxTraceHops {
			return nil, rastro.Errorf(rastro.EINVALID, "Parameter hops must be a whole number from 1 to %d, not %q.", maxTraceHops, truncate(h, 40))
		}
		t.Hops = n
	}
	switch t.Format {
	case "", "csv", "json", "html":
	default:
		return nil, rastro.Errorf(rastro.EINVALID, "Parameter format must be csv or json, not %q.", truncate(t.Format, 40))
	}
	t.Options = money.TraceOptions{Backward: t.Dir == "backward", Hops: t.Hops, Model: t.Model, Merge: t.Merge, MaxEdges: maxTraceEdges}
	if err := parseWindow(t.Window, &t.Options); err != nil {
		return nil, err
	}
	return t, nil
}

// or returns v, or def when v is empty.
func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// parseWindow reads the window parameter: a duration ("72h", "30d") bounds
// how long after the funds arrived an account may pass them on; a date range
// ("2024-01-01..2024-03-31", either end optional) bounds the transfers.
func parseWindow(w string, o *money.TraceOptions) error {
	if w == "" {
		return nil
	}
	if a, b, ok := strings.Cut(w, ".."); ok {
		var err error
		if a != "" {
			if o.After, err = time.Parse(time.DateOnly, a); err != nil {
				return rastro.Errorf(rastro.EINVALID, "Parameter window: %q is not a date (YYYY-MM-DD).", truncate(a, 40))
			}
		}
		if b != "" {
			if o.Before, err = time.Parse(time.DateOnly, b); err != nil {
				return rastro.Errorf(rastro.EINVALID, "Parameter window: %q is not a date (YYYY-MM-DD).", truncate(b, 40))
			}
			o.Before = o.Before.Add(24*time.Hour - time.Second) // the whole last day
		}
		if !o.After.IsZero() && !o.Before.IsZero() && o.Before.Before(o.After) {
			return rastro.Errorf(rastro.EINVALID, "Parameter window: the range ends before it starts.")
		}
		return nil
	}
	d, err := parseDays(w)
	if err != nil || d <= 0 {
		return rastro.Errorf(rastro.EINVALID, "Parameter window must be a duration such as 72h or 30d, or a date range such as 2024-01-01..2024-03-31, not %q.", truncate(w, 40))
	}
	o.MaxGap = d
	return nil
}

// parseDays parses a Go duration or a whole number of days ("30d").
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, err
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// traceResult is a trace with what the pages and the API show of it.
type traceResult struct {
	Query  *traceQuery
	Case   *casemoney.Case
	Flow   *money.Flow
	Totals []money.HopTotal
}

// runTrace parses the request and traces the case's payments.
func (s *Server) runTrace(r *http.Request) (*traceResult, error) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		return nil, err
	}
	q, err := parseTraceQuery(r.URL.Query())
	if err != nil {
		return nil, err
	}
	cm, err := casemoney.Load(r.Context(), s.store, actor(r), caseID)
	if err != nil {
		return nil, err
	}
	switch {
	case cm.Payments[q.From] != nil:
		q.Options.TxID = q.From
	case cm.IsAccount(q.From):
		q.Options.Account = q.From
	default:
		return nil, rastro.Errorf(rastro.EINVALID, "Parameter from: case %d has no account with payments and no payment with id %q.", caseID, truncate(q.From, 80))
	}
	flow, err := cm.Graph.Trace(q.Options)
	if err != nil {
		return nil, err
	}
	return &traceResult{Query: q, Case: cm, Flow: flow, Totals: flow.Totals(nil)}, nil
}

// traceView is the trace page's data.
type traceView struct {
	CaseID  int64
	Result  *traceResult
	Root    string
	Chart   *sankeyChart
	Rows    []traceRow
	CSVURL  string
	Models  []string
	Query   *traceQuery
	Reached int
}

// traceRow is one edge as the table lists it.
type traceRow struct {
	Hop              int
	FromID, ToID     string
	From, To         string
	Path             string
	Amount, Gross    money.Amount
	Currency         string
	Payments         []findingPayment
	ToVictim         bool
	ToAccountPageURL string
}

// tracePage renders the trace as a Sankey with a table of its edges, or
// (format=csv) downloads it, which is audited as an export.
func (s *Server) tracePage(w http.ResponseWriter, r *http.Request) {
	res, err := s.runTrace(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if res.Query.Format == "csv" {
		s.traceCSV(w, r, res)
		return
	}
	s.render(w, r, http.StatusOK, "trace", "", s.traceView(r, res))
}

// traceView builds the page's data.
func (s *Server) traceView(r *http.Request, res *traceResult) *traceView {
	caseID := res.Case.CaseID
	cm := res.Case
	v := &traceView{CaseID: caseID, Result: res, Query: res.Query, Root: cm.Caption(res.Flow.Root), Reached: len(res.Flow.Nodes) - 1,
		Models: []string{money.ModelFIFO, money.ModelHaircut, money.ModelPoison}}
	q := r.URL.Query()
	q.Set("format", "csv")
	v.CSVURL = r.URL.Path + "?" + q.Encode()
	v.Chart = drawSankey(sankeyInput{flow: res.Flow, caption: cm.Caption, victim: cm.VictimHeld,
		href: func(a string) string { return accountURL(caseID, a, cm) }})
	for _, e := range res.Flow.Edges {
		from, to := res.Flow.Nodes[e.Source], res.Flow.Nodes[e.Target]
		row := traceRow{Hop: to.Hop, FromID: from.Account, ToID: to.Account, From: cm.Caption(from.Account), To: cm.Caption(to.Account),
			Path: captionPath(res.Flow, e.Source, cm), Amount: e.Amount, Gross: e.Gross, Currency: e.Currency,
			ToVictim: cm.VictimHeld(to.Account), ToAccountPageURL: accountURL(caseID, to.Account, cm)}
		for _, id := range e.TxIDs {
			row.Payments = append(row.Payments, findingPayment{Ref: paymentRef(cm.Payments[id]), LinkID: id, Source: paymentURL(caseID, id)})
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// accountURL is the account page of an entity, or its entity page when it
// is not an account (a statement's counterparty).
func accountURL(caseID int64, id string, cm *casemoney.Case) string {
	base := "/cases/" + strconv.FormatInt(caseID, 10) + "/"
	if e := cm.Entities[id]; e != nil && isAccountSchema(e.Schema) {
		return base + "accounts/" + url.PathEscape(id)
	}
	return base + "entities/" + url.PathEscape(id)
}

// paymentRef is how a payment is cited: its time and amount.
func paymentRef(l *rastro.Link) string {
	if l == nil {
		return ""
	}
	return l.Start.UTC().Format("2006-01-02 15:04") + " " + l.Amount + " " + l.Currency
}

// captionPath joins the captions from the root to node id.
func captionPath(f *money.Flow, id int, cm *casemoney.Case) string {
	var p []string
	for id >= 0 {
		p = append([]string{cm.Caption(f.Nodes[id].Account)}, p...)
		id = f.Nodes[id].Parent
	}
	return strings.Join(p, " > ")
}

// traceCSVHeader documents the trace CSV's columns: the hop of the edge's
// target, both accounts (entity id and caption; a protected person's
// caption is a pseudonym), the path of captions from the root, the amount
// attributed along the edge by the model, the face value of its transfers,
// their currency, the model, the payment ids behind the edge and their
// sources (evidence id and line).
var traceCSVHeader = []string{"hop", "from_entity", "from", "to_entity", "to", "path", "attributed", "gross", "currency", "model", "payment_ids", "sources"}

// traceCSV writes the trace as CSV after auditing the export.
func (s *Server) traceCSV(w http.ResponseWriter, r *http.Request, res *traceResult) {
	a := actor(r)
	q := res.Query
	ev := &rastro.AuditEvent{Time: s.cfg.Now(), UserID: a.UserID, Username: a.Username, Action: "export", CaseID: res.Case.CaseID,
		Object: "trace:" + q.From, Purpose: a.Purpose, Remote: remoteAddr(r),
		Details: fmt.Sprintf("money trace CSV: dir=%s hops=%d model=%s window=%s, %d edges", q.Dir, q.Hops, q.Model, q.Window, len(res.Flow.Edges))}
	if err := s.store.Audit(r.Context(), a, ev); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="trace-case%d-%s.csv"`, res.Case.CaseID, q.Dir))
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write(traceCSVHeader)
	f, cm := res.Flow, res.Case
	for _, e := range f.Edges {
		from, to := f.Nodes[e.Source], f.Nodes[e.Target]
		var srcs []string
		for _, id := range e.TxIDs {
			if l := cm.Payments[id]; l != nil {
				srcs = append(srcs, fmt.Sprintf("evidence:%d#%s", l.EvidenceID, l.Locator))
			}
		}
		_ = cw.Write([]string{strconv.Itoa(to.Hop), from.Account, csvSafe(cm.Caption(from.Account)), to.Account, csvSafe(cm.Caption(to.Account)),
			csvSafe(captionPath(f, e.Target, cm)), e.Amount.String(), e.Gross.String(), e.Currency, f.Model, strings.Join(e.TxIDs, " "), strings.Join(srcs, " ")})
	}
	cw.Flush()
}

// csvSafe defuses spreadsheet formulas in a text cell.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// traceJSON is the API's trace.
type traceJSON struct {
	Root     string           `json:"root"`
	Caption  string           `json:"root_caption"`
	Model    string           `json:"model"`
	Backward bool             `json:"backward"`
	Nodes    []traceNodeJSON  `json:"nodes"`
	Edges    []money.FlowEdge `json:"edges"`
	Totals   []money.HopTotal `json:"totals"`
}

// traceNodeJSON is a flow node with its caption.
type traceNodeJSON struct {
	money.FlowNode
	Caption string `json:"caption"`
	Victim  bool   `json:"victim_held,omitempty"`
}

// apiTrace returns the trace as JSON, or as CSV with format=csv (audited).
func (s *Server) apiTrace(w http.ResponseWriter, r *http.Request) {
	res, err := s.runTrace(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if res.Query.Format == "csv" {
		s.traceCSV(w, r, res)
		return
	}
	f, cm := res.Flow, res.Case
	out := traceJSON{Root: f.Root, Caption: cm.Caption(f.Root), Model: f.Model, Backward: f.Back, Edges: f.Edges, Totals: res.Totals}
	if out.Edges == nil {
		out.Edges = []money.FlowEdge{}
	}
	if out.Totals == nil {
		out.Totals = []money.HopTotal{}
	}
	for _, n := range f.Nodes {
		out.Nodes = append(out.Nodes, traceNodeJSON{FlowNode: n, Caption: cm.Caption(n.Account), Victim: cm.VictimHeld(n.Account)})
	}
	writeJSON(w, http.StatusOK, out)
}
