package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/money"
)

// The column-mapping editor: take a sample of a money file (an evidence
// item's first lines, or an uploaded sample), show its header and first
// rows, map its columns (or pick a preset), preview the transactions and
// the bad lines, save the mapping as a preset of the case or the agency,
// and queue the money import with it.

// moneyImportJob is the job kind of the money import (cmd/rastro's
// jobMoneyImport: the binary registers its handler).
const moneyImportJob = "money.import"

// Bounds of the editor.
const (
	maxSample       = 64 << 10 // bytes of a sample read or accepted
	previewTxs      = 20
	previewRows     = 10
	previewErrors   = 50
	maxSampleUpload = 8 << 20
)

// mappingRequest is what the editor's form and the JSON API post.
type mappingRequest struct {
	Action     string         `json:"action"` // preview, save, import
	EvidenceID int64          `json:"evidence_id,omitempty"`
	Sample     string         `json:"sample,omitempty"`
	Preset     string         `json:"preset,omitempty"`
	Format     string         `json:"format,omitempty"`
	Mapping    *money.Mapping `json:"mapping,omitempty"`
	Account    string         `json:"account,omitempty"`
	Name       string         `json:"name,omitempty"`
	Scope      string         `json:"scope,omitempty"` // case (default) or agency
}

// mappingPreview is what a preview shows.
type mappingPreview struct {
	Header []string      `json:"header"`
	Rows   [][]string    `json:"rows"`
	Txs    []money.Tx    `json:"transactions"`
	Report *money.Report `json:"report,omitempty"`
	Error  string        `json:"error,omitempty"` // the sample could not be read with this mapping
}

// mappingView is the editor page's data.
type mappingView struct {
	CaseID  int64
	Items   []*rastro.Evidence // the case's CSV items
	Builtin []*rastro.MoneyPreset
	Saved   []*rastro.MoneyPreset
	Req     mappingRequest
	M       money.Mapping // the mapping in the form
	Preview *mappingPreview
	Message string
	Error   string
	Formats []string
	Columns []mappingColumn
}

// mappingColumn is one field the form maps, with its current header.
type mappingColumn struct {
	Field, Value string
}

// builtinPresets are the formats and layouts Rastro reads without a saved
// mapping: AMLworld, AMLSim and the training generator's bank statements.
func builtinPresets() []*rastro.MoneyPreset {
	out := []*rastro.MoneyPreset{{Name: "AMLworld", Format: money.FormatAMLworld}, {Name: "AMLSim", Format: money.FormatAMLSim}}
	for _, m := range money.Presets() {
		b, _ := json.Marshal(m)
		out = append(out, &rastro.MoneyPreset{Name: m.Name, Format: money.FormatStatement, Mapping: b})
	}
	return out
}

// mappingPage shows the editor; ?evidence_id=N loads that item's sample
// and ?preset=NAME fills the form from a preset.
func (s *Server) mappingPage(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req := mappingRequest{Action: "preview", Preset: r.URL.Query().Get("preset")}
	if req.EvidenceID, err = queryID(r, "evidence_id"); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.runMapping(r, caseID, &req)
	if err != nil && statusFor(err) != http.StatusBadRequest {
		s.fail(w, r, err)
		return
	}
	if err != nil {
		v.Error = rastro.ErrorMessage(err)
	}
	s.render(w, r, http.StatusOK, "mapping", "", v)
}

// postMapping handles the editor's form: preview, save or import.
func (s *Server) postMapping(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req, err := mappingForm(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.runMapping(r, caseID, req)
	status := http.StatusOK
	if err != nil {
		if statusFor(err) != http.StatusBadRequest {
			s.fail(w, r, err)
			return
		}
		v.Error, status = rastro.ErrorMessage(err), http.StatusBadRequest
	}
	s.render(w, r, status, "mapping", "", v)
}

// mappingForm reads the editor's form (multipart when a sample is uploaded).
func mappingForm(r *http.Request) (*mappingRequest, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxSampleUpload)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseMultipartForm(maxSampleUpload); err != nil {
			return nil, rastro.Errorf(rastro.EINVALID, "The form could not be read: %v.", err)
		}
	}
	f := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	req := &mappingRequest{Action: or(f("action"), "preview"), Preset: f("preset"), Format: f("format"), Account: f("account"),
		Name: f("name"), Scope: f("scope"), Sample: r.FormValue("sample")}
	if id := f("evidence_id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			return nil, rastro.Errorf(rastro.EINVALID, "evidence_id must be a positive integer.")
		}
		req.EvidenceID = n
	}
	if file, _, err := r.FormFile("sample_file"); err == nil {
		defer file.Close()
		b, err := io.ReadAll(io.LimitReader(file, maxSample))
		if err != nil {
			return nil, rastro.Errorf(rastro.EINVALID, "The sample could not be read: %v.", err)
		}
		req.Sample, req.EvidenceID = string(b), 0
	}
	if req.Format == money.FormatStatement || f("col_date") != "" {
		req.Format = money.FormatStatement
		req.Mapping = &money.Mapping{Name: or(f("name"), "custom"), Delimiter: f("delimiter"), DateLayout: f("date_layout"),
			DecimalComma: f("decimal_comma") != "", Currency: f("currency"),
			Columns: money.Columns{Date: f("col_date"), Description: f("col_description"), Debit: f("col_debit"), Credit: f("col_credit"),
				Amount: f("col_amount"), Balance: f("col_balance"), Currency: f("col_currency"), Reference: f("col_reference"), Counterparty: f("col_counterparty")}}
	}
	return req, nil
}

// apiMappings lists the built-in and saved presets.
func (s *Server) apiMappings(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	saved, err := s.store.MoneyPresets(r.Context(), actor(r), caseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"builtin": builtinPresets(), "saved": saved})
}

// apiPostMapping previews, saves or imports with a mapping.
func (s *Server) apiPostMapping(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req mappingRequest
	if err := decodeJSON(w, r, &req, maxSampleUpload); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(req.Sample) > maxSample {
		req.Sample = req.Sample[:maxSample]
	}
	v, err := s.runMapping(r, caseID, &req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	switch req.Action {
	case "save":
		writeJSON(w, http.StatusOK, v.Saved[len(v.Saved)-1])
	case "import":
		writeJSON(w, http.StatusAccepted, map[string]any{"message": v.Message})
	default:
		writeJSON(w, http.StatusOK, v.Preview)
	}
}

// runMapping does what req asks and returns the editor's data; errors
// that are the user's (EINVALID) come back with the view filled in.
func (s *Server) runMapping(r *http.Request, caseID int64, req *mappingRequest) (*mappingView, error) {
	v := &mappingView{CaseID: caseID, Builtin: builtinPresets(), Req: *req,
		Formats: []string{"", money.FormatAMLworld, money.FormatAMLSim, money.FormatBTC, money.FormatToken, money.FormatStatement}}
	var err error
	if v.Saved, err = s.store.MoneyPresets(r.Context(), actor(r), caseID); err != nil {
		return nil, err
	}
	items, err := s.store.EvidenceList(r.Context(), actor(r), caseID)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if strings.HasPrefix(it.MediaType, "text/csv") {
			v.Items = append(v.Items, it)
		}
	}
	defer v.fillForm()
	switch req.Action {
	case "preview", "save", "import":
	default:
		return v, rastro.Errorf(rastro.EINVALID, "action must be preview, save or import, not %q.", truncate(req.Action, 40))
	}
	if err := v.applyPreset(req); err != nil {
		return v, err
	}
	v.Req = *req
	if req.EvidenceID != 0 {
		if req.Sample, err = s.evidenceSample(r, caseID, req.EvidenceID); err != nil {
			return v, err
		}
	}
	if req.Sample != "" {
		v.Preview = previewMapping(req)
	}
	switch req.Action {
	case "save":
		return v, s.savePreset(r, caseID, req, v)
	case "import":
		return v, s.queueImport(r, caseID, req, v)
	}
	return v, nil
}

// applyPreset replaces the request's format and mapping by a preset's.
func (v *mappingView) applyPreset(req *mappingRequest) error {
	if req.Preset == "" {
		return nil
	}
	for _, p := range append(append([]*rastro.MoneyPreset(nil), v.Saved...), v.Builtin...) {
		if p.Name != req.Preset {
			continue
		}
		req.Format, req.Mapping = p.Format, nil
		if req.Account == "" {
			req.Account = p.Account
		}
		if len(p.Mapping) > 0 {
			m, err := money.ParseMapping(p.Mapping)
			if err != nil {
				return err
			}
			req.Mapping = m
		}
		return nil
	}
	return rastro.Errorf(rastro.EINVALID, "No preset named %q: pick one of the list.", truncate(req.Preset, 60))
}

// fillForm copies the request's mapping into the form's fields.
func (v *mappingView) fillForm() {
	if v.Req.Mapping != nil {
		v.M = *v.Req.Mapping
	}
	if v.M.Delimiter == "" {
		v.M.Delimiter = ","
	}
	if v.M.DateLayout == "" {
		v.M.DateLayout = "2006-01-02"
	}
	c := v.M.Columns
	v.Columns = []mappingColumn{{"date", c.Date}, {"amount", c.Amount}, {"debit", c.Debit}, {"credit", c.Credit}, {"currency", c.Currency},
		{"counterparty", c.Counterparty}, {"description", c.Description}, {"reference", c.Reference}, {"balance", c.Balance}}
}

// evidenceSample reads the first bytes of a CSV evidence item, logged as a
// view in its custody timeline and the audit log.
func (s *Server) evidenceSample(r *http.Request, caseID, id int64) (string, error) {
	e, err := s.store.EvidenceByID(r.Context(), actor(r), caseID, id)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(e.MediaType, "text/csv") {
		return "", rastro.Errorf(rastro.EINVALID, "Evidence %d is %s, not a CSV file.", id, e.MediaType)
	}
	if s.cfg.Blobs == nil {
		return "", rastro.Errorf(rastro.EINVALID, "Evidence content is not available on this server: upload a sample instead.")
	}
	b, err := s.cfg.Blobs.Open(r.Context(), caseID, e.SHA256)
	if err != nil {
		return "", contentError(err)
	}
	defer b.Close()
	if err := s.logAccess(r, e, rastro.CustodyView, "view_evidence"); err != nil {
		return "", err
	}
	buf, err := io.ReadAll(io.LimitReader(b, maxSample))
	if err != nil {
		return "", fmt.Errorf("read evidence %d: %w", id, err)
	}
	return string(buf), nil
}

// previewMapping reads the sample with the request's format or mapping.
func previewMapping(req *mappingRequest) *mappingPreview {
	sample := req.Sample
	if len(sample) == maxSample { // drop a cut last line
		if i := strings.LastIndexByte(sample, '\n'); i > 0 {
			sample = sample[:i+1]
		}
	}
	p := &mappingPreview{Rows: [][]string{}, Txs: []money.Tx{}}
	p.Header, p.Rows = sampleRows(sample, req.Mapping)
	opts := money.ReadOptions{File: "sample", Format: req.Format, Mapping: req.Mapping, Account: req.Account, MaxError: previewErrors}
	if req.Mapping != nil && opts.Format == "" {
		opts.Format = money.FormatStatement
	}
	rep, err := money.Read(strings.NewReader(sample), opts, func(t *money.Tx) error {
		if len(p.Txs) < previewTxs {
			p.Txs = append(p.Txs, *t)
		}
		return nil
	})
	p.Report = rep
	if err != nil {
		// What the reader says is about the sample (header, layout), not
		// the server: show it as it is.
		p.Error = err.Error()
	}
	return p
}

// sampleRows splits the sample's header and first rows.
func sampleRows(sample string, m *money.Mapping) ([]string, [][]string) {
	cr := csv.NewReader(bytes.NewReader([]byte(sample)))
	cr.FieldsPerRecord, cr.LazyQuotes = -1, true
	if m != nil && m.Delimiter != "" {
		cr.Comma = rune(m.Delimiter[0])
		if m.Delimiter == `\t` {
			cr.Comma = '\t'
		}
	} else if first, _, _ := strings.Cut(sample, "\n"); strings.Count(first, ";") > strings.Count(first, ",") {
		cr.Comma = ';'
	}
	var header []string
	rows := [][]string{}
	for len(rows) < previewRows {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		if header == nil {
			header = rec
			continue
		}
		rows = append(rows, rec)
	}
	return header, rows
}

// savePreset stores the request's format or mapping as a preset.
func (s *Server) savePreset(r *http.Request, caseID int64, req *mappingRequest, v *mappingView) error {
	p := &rastro.MoneyPreset{Name: req.Name, Format: req.Format, Account: req.Account, CaseID: caseID}
	switch req.Scope {
	case "", "case":
	case "agency":
		p.CaseID = 0
	default:
		return rastro.Errorf(rastro.EINVALID, "scope must be case or agency, not %q.", truncate(req.Scope, 40))
	}
	if req.Mapping != nil {
		if err := checkMapping(req.Mapping); err != nil {
			return err
		}
		req.Mapping.Name = req.Name
		p.Mapping, _ = json.Marshal(req.Mapping)
	}
	if err := s.store.SaveMoneyPreset(r.Context(), actor(r), caseID, p); err != nil {
		return err
	}
	v.Saved = append(v.Saved, p)
	v.Message = fmt.Sprintf("Saved preset %q.", p.Name)
	return nil
}

// checkMapping says what a statement mapping lacks.
func checkMapping(m *money.Mapping) error {
	b, _ := json.Marshal(m)
	_, err := money.ParseMapping(b)
	return err
}

// queueImport enqueues the money import of the case with the request's
// mapping for its evidence item, and audits the request.
func (s *Server) queueImport(r *http.Request, caseID int64, req *mappingRequest, v *mappingView) error {
	if req.EvidenceID == 0 {
		return rastro.Errorf(rastro.EINVALID, "Import needs an evidence item of the case: an uploaded sample is only previewed. Add the file as evidence first.")
	}
	if req.Format == "" && req.Mapping == nil {
		return rastro.Errorf(rastro.EINVALID, "Pick a preset or map the columns before importing.")
	}
	if req.Mapping != nil {
		if err := checkMapping(req.Mapping); err != nil {
			return err
		}
	}
	if v.Preview != nil && v.Preview.Error != "" {
		return rastro.Errorf(rastro.EINVALID, "The sample does not read with this mapping: %s", v.Preview.Error)
	}
	type mapped struct {
		Format  string         `json:"format,omitempty"`
		Mapping *money.Mapping `json:"mapping,omitempty"`
		Account string         `json:"account,omitempty"`
	}
	payload, err := json.Marshal(map[string]any{"case_id": caseID, "mappings": map[int64]mapped{req.EvidenceID: {req.Format, req.Mapping, req.Account}}})
	if err != nil {
		return err
	}
	j := &rastro.Job{CaseID: caseID, Kind: moneyImportJob, Payload: payload}
	if err := s.store.Enqueue(r.Context(), actor(r), j); err != nil {
		return err
	}
	a := actor(r)
	ev := &rastro.AuditEvent{Time: s.cfg.Now(), UserID: a.UserID, Username: a.Username, Action: "money_import_queued", CaseID: caseID,
		Object: fmt.Sprintf("evidence:%d", req.EvidenceID), Purpose: a.Purpose, Remote: remoteAddr(r), Details: fmt.Sprintf("job %d, format %s", j.ID, or(req.Format, "auto"))}
	if err := s.store.Audit(r.Context(), a, ev); err != nil {
		return err
	}
	v.Message = fmt.Sprintf("Money import queued (job %d): follow it on the case page.", j.ID)
	return nil
}
