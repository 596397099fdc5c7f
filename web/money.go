package web

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/money"
	"github.com/rastro/rastro/money/casemoney"
)

// The money pages: an account's holders, totals, flows and transactions,
// each payment's source line, and the alerts that name the account. They
// read the case's Payment links (written by the money import) through the
// store with the reader's own actor, so membership and victim redaction
// apply as everywhere else.

// isAccountSchema reports whether entities of schema get an account page.
func isAccountSchema(schema string) bool { return schema == "BankAccount" || schema == "CryptoWallet" }

// holderView is one holder of an account as the reader may see it.
type holderView struct {
	ID      string
	Caption string // a pseudonym when redacted
	Role    rastro.CaseRole
}

// currencyTotal is what an account received and paid in one currency.
type currencyTotal struct {
	Currency  string
	In, Out   money.Amount
	NIn, NOut int
	Chart     *barChart
	Net       money.Amount
}

// paymentRow is one payment in a list, seen from an account.
type paymentRow struct {
	Link         *rastro.Link
	In           bool   // received by the account
	Counterparty string // entity id of the other account
	Caption      string
	Source       string // URL of the payment's source-line page
}

// accountView is the account page's data.
type accountView struct {
	CaseID   int64
	Account  *rastro.Entity
	Holders  []holderView
	Victim   bool // held by a (possible) victim
	Totals   []*currencyTotal
	Payments []paymentRow
	More     int // payments not listed
	Findings []*moneyFinding
	TraceURL string
}

// maxAccountPayments bounds the payments listed on an account page.
const maxAccountPayments = 500

// accountPage shows an account: holders, in/out totals per currency, a
// bar chart of flows over time, its payments with their source lines, and
// the findings that name it.
func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadAccount(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "account", "", v)
}

// loadAccount builds the account page's data.
func (s *Server) loadAccount(r *http.Request) (*accountView, error) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		return nil, err
	}
	acct, err := s.store.Entity(r.Context(), actor(r), caseID, r.PathValue("entityID"))
	if err != nil {
		return nil, err
	}
	if !isAccountSchema(acct.Schema) {
		return nil, rastro.Errorf(rastro.EINVALID, "Entity %s is a %s, not a bank account or wallet.", acct.ID, acct.Schema)
	}
	cm, err := casemoney.LoadAccount(r.Context(), s.store, actor(r), caseID, acct.ID)
	if err != nil {
		return nil, err
	}
	v := &accountView{CaseID: caseID, Account: acct, Victim: cm.VictimHeld(acct.ID)}
	for _, h := range cm.Holders[acct.ID] {
		hv := holderView{ID: h, Caption: cm.Caption(h), Role: rastro.CaseRoleUnknown}
		if e := cm.Entities[h]; e != nil {
			hv.Role = e.CaseRole
		}
		v.Holders = append(v.Holders, hv)
	}
	v.Payments, v.Totals = accountPayments(cm, caseID, acct.ID)
	if len(v.Payments) > maxAccountPayments {
		v.More, v.Payments = len(v.Payments)-maxAccountPayments, v.Payments[:maxAccountPayments]
	}
	if v.Findings, err = s.accountFindings(r, caseID, acct.ID); err != nil {
		return nil, err
	}
	v.TraceURL = traceURL(caseID, acct.ID, "forward")
	return v, nil
}

// traceURL is the trace page from an account or payment.
func traceURL(caseID int64, from, dir string) string {
	q := url.Values{"from": {from}, "dir": {dir}, "hops": {"4"}, "model": {money.ModelFIFO}}
	return "/cases/" + strconv.FormatInt(caseID, 10) + "/trace?" + q.Encode()
}

// paymentURL is the source-line page of a payment.
func paymentURL(caseID int64, linkID string) string {
	return "/cases/" + strconv.FormatInt(caseID, 10) + "/payments?" + url.Values{"id": {linkID}}.Encode()
}

// accountPayments lists the account's payments in time order and sums them
// per currency, with a chart of flows over time.
func accountPayments(cm *casemoney.Case, caseID int64, acct string) ([]paymentRow, []*currencyTotal) {
	g := cm.Graph
	idx := append(append([]int32(nil), g.In(acct)...), g.Out(acct)...)
	slices.Sort(idx)
	idx = slices.Compact(idx) // a cash deposit is both
	byCur := map[string]*currencyTotal{}
	var rows []paymentRow
	for _, i := range idx {
		t := &g.Txs[i]
		l := cm.Payments[t.ID]
		in := t.To == acct
		other := t.From
		if !in {
			other = t.To
		}
		rows = append(rows, paymentRow{Link: l, In: in, Counterparty: other, Caption: cm.Caption(other), Source: paymentURL(caseID, l.ID)})
		ct := byCur[t.Currency]
		if ct == nil {
			ct = &currencyTotal{Currency: t.Currency}
			byCur[t.Currency] = ct
		}
		if in {
			ct.In, ct.NIn = ct.In.Add(t.Amount), ct.NIn+1
		}
		if t.From == acct {
			ct.Out, ct.NOut = ct.Out.Add(t.Amount), ct.NOut+1
		}
	}
	var totals []*currencyTotal
	for _, ct := range byCur {
		ct.Net = ct.In.Sub(ct.Out)
		ct.Chart = flowChart(g, idx, acct, ct.Currency)
		totals = append(totals, ct)
	}
	sort.Slice(totals, func(i, j int) bool { return totals[i].Currency < totals[j].Currency })
	return rows, totals
}

// moneyFinding is a finding as the money pages show it: the payments
// behind it (from its "Transfers:" list) and its entities split into
// subjects and (possible) victims, who are shown as victims/witnesses with
// the holders of their accounts, never as subjects.
type moneyFinding struct {
	*rastro.Finding
	Payments []findingPayment
	Subjects []findingEntity
	Victims  []findingEntity
}

// findingPayment is one transfer a finding cites.
type findingPayment struct {
	Ref    string // file:line as the explanation cites it, or time and amount
	LinkID string // the Payment link, when the case has it
	Source string // its source-line page
}

// findingEntity is one entity a finding names, with its page and holders.
type findingEntity struct {
	ID      string
	Caption string
	URL     string
	Role    rastro.CaseRole
	Holders []holderView
}

// entityLookup gives what a finding's view needs to know of an entity.
type entityLookup struct {
	caseID   int64
	entities map[string]*rastro.Entity
	holders  map[string][]string
	payments map[string]*rastro.Link // nil: every cited transfer is linked
}

// accountFindings returns the findings that name the account, with the
// holders of every account they name.
func (s *Server) accountFindings(r *http.Request, caseID int64, acct string) ([]*moneyFinding, error) {
	all, err := s.store.Findings(r.Context(), actor(r), caseID)
	if err != nil {
		return nil, err
	}
	var mine []*rastro.Finding
	for _, f := range all {
		if slices.Contains(f.EntityIDs, acct) || slices.Contains(f.VictimIDs, acct) {
			mine = append(mine, f)
		}
	}
	byID, err := s.moneyFindings(r, caseID, mine)
	if err != nil {
		return nil, err
	}
	out := []*moneyFinding{}
	for _, f := range mine {
		if mf := byID[f.ID]; mf != nil {
			out = append(out, mf)
		}
	}
	return out, nil
}

// moneyFinding resolves the transfers a money finding cites to the case's
// Payment links (the import keys them "money:FILE:LINE") and its entities
// to pages and holders.
func (lk *entityLookup) moneyFinding(f *rastro.Finding) *moneyFinding {
	mf := &moneyFinding{Finding: f}
	for _, ref := range FindingRefs(f) {
		fp := findingPayment{Ref: ref}
		if id := "money:" + ref; lk.payments == nil || lk.payments[id] != nil {
			fp.LinkID, fp.Source = id, paymentURL(lk.caseID, id)
		}
		mf.Payments = append(mf.Payments, fp)
	}
	for _, id := range f.SubjectIDs {
		mf.Subjects = append(mf.Subjects, lk.entity(id))
	}
	for _, id := range f.VictimIDs {
		mf.Victims = append(mf.Victims, lk.entity(id))
	}
	return mf
}

// entity describes one entity a finding names.
func (lk *entityLookup) entity(id string) findingEntity {
	fe := findingEntity{ID: id, Caption: id, Role: rastro.CaseRoleUnknown,
		URL: "/cases/" + strconv.FormatInt(lk.caseID, 10) + "/entities/" + url.PathEscape(id)}
	if e := lk.entities[id]; e != nil {
		fe.Caption, fe.Role = e.Caption, e.CaseRole
		if isAccountSchema(e.Schema) {
			fe.URL = "/cases/" + strconv.FormatInt(lk.caseID, 10) + "/accounts/" + url.PathEscape(id)
		}
	}
	for _, h := range lk.holders[id] {
		hv := holderView{ID: h, Caption: h, Role: rastro.CaseRoleUnknown}
		if e := lk.entities[h]; e != nil {
			hv.Caption, hv.Role = e.Caption, e.CaseRole
		}
		fe.Holders = append(fe.Holders, hv)
	}
	return fe
}

// moneyFindings prepares the money findings of a findings page: their
// accounts' holders (through Ownership links) and every entity's caption
// as the entity list shows it (redacted for readers without access).
func (s *Server) moneyFindings(r *http.Request, caseID int64, fs []*rastro.Finding) (map[int64]*moneyFinding, error) {
	lk := &entityLookup{caseID: caseID, holders: map[string][]string{}}
	var ids []string
	for _, f := range fs {
		if strings.HasPrefix(f.Kind, "money.") {
			ids = append(ids, f.EntityIDs...)
		}
	}
	out := map[int64]*moneyFinding{}
	if len(ids) == 0 {
		return out, nil
	}
	all := slices.Clone(ids)
	for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
		links, err := s.store.MoneyLinks(r.Context(), actor(r), caseID, id)
		if err != nil {
			return nil, err
		}
		for _, l := range links {
			if l.Schema == "Ownership" && l.TargetID == id {
				lk.holders[id] = append(lk.holders[id], l.SourceID)
				all = append(all, l.SourceID)
			}
		}
	}
	var err error
	if lk.entities, err = s.entitiesByID(r, caseID, all); err != nil {
		return nil, err
	}
	for _, f := range fs {
		if strings.HasPrefix(f.Kind, "money.") {
			out[f.ID] = lk.moneyFinding(f)
		}
	}
	return out, nil
}

// FindingRefs returns the "file:line" references a money finding's
// explanation lists after "Transfers:" (see money.Finding).
func FindingRefs(f *rastro.Finding) []string {
	if !strings.HasPrefix(f.Kind, "money.") {
		return nil
	}
	i := strings.LastIndex(f.Explanation, " Transfers: ")
	if i < 0 {
		return nil
	}
	var refs []string
	for _, r := range strings.Fields(f.Explanation[i+len(" Transfers: "):]) {
		last := strings.HasSuffix(r, ".")
		if r = strings.TrimSuffix(r, "."); r != "" {
			refs = append(refs, r)
		}
		if last {
			break
		}
	}
	return refs
}

// paymentView is the payment source-line page's data.
type paymentView struct {
	CaseID   int64
	Link     *rastro.Link
	From, To *rastro.Entity
	Evidence *rastro.Evidence
	Record   *rastro.Record
}

// paymentPage shows one payment and where it came from: the evidence item
// and the line (locator) the import read it from.
func (s *Server) paymentPage(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.URL.Query().Get("id")
	if id == "" {
		s.fail(w, r, rastro.Errorf(rastro.EINVALID, "Query parameter id (the payment's id) is required."))
		return
	}
	v, err := s.loadPayment(r, caseID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "payment", "", v)
}

// loadPayment reads a Payment link with its accounts and evidence item.
func (s *Server) loadPayment(r *http.Request, caseID int64, id string) (*paymentView, error) {
	links, err := s.store.MoneyLinks(r.Context(), actor(r), caseID, "")
	if err != nil {
		return nil, err
	}
	v := &paymentView{CaseID: caseID}
	for _, l := range links {
		if l.ID == id && l.Schema == "Payment" {
			v.Link = l
		}
	}
	if v.Link == nil {
		return nil, rastro.Errorf(rastro.ENOTFOUND, "No payment %q in case %d.", truncate(id, 80), caseID)
	}
	ents, err := s.entitiesByID(r, caseID, []string{v.Link.SourceID, v.Link.TargetID})
	if err != nil {
		return nil, err
	}
	v.From, v.To = ents[v.Link.SourceID], ents[v.Link.TargetID]
	if v.Link.EvidenceID != 0 {
		if v.Evidence, err = s.store.EvidenceByID(r.Context(), actor(r), caseID, v.Link.EvidenceID); err != nil {
			return nil, err
		}
	}
	if v.Link.RecordID != 0 {
		if v.Record, err = s.store.RecordByID(r.Context(), actor(r), caseID, v.Link.RecordID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// entitiesByID finds entities of the case by id through the entity list
// (redacted as lists are; listing writes no view audit events).
func (s *Server) entitiesByID(r *http.Request, caseID int64, ids []string) (map[string]*rastro.Entity, error) {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	return s.entitiesNamed(r, caseID, want)
}

// monthKey is the bucket of a time in a flow chart.
func monthKey(t time.Time, weekly bool) string {
	if weekly {
		y, w := t.ISOWeek()
		return strconv.Itoa(y) + "-W" + pad2(w)
	}
	return t.UTC().Format("2006-01")
}

// pad2 formats n with two digits.
func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
