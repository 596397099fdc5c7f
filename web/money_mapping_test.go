package web

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rastro/rastro"
)

// gtSample is a fictional statement in a layout no preset knows: a
// semicolon file with other header names, one bad date and one bad amount.
const gtSample = "Fecha;Doc;Detalle;Importe;Mon\n" +
	"03/01/2024;A1;PAGO CLIENTE;1500.00;GTQ\n" +
	"04/01/2024;A2;TRANSFERENCIA;-700.00;GTQ\n" +
	"2024-01-05;A3;FECHA MALA;10.00;GTQ\n" +
	"06/01/2024;A4;MONTO MALO;diez;GTQ\n"

// gtForm is the editor's form mapping gtSample's columns.
func gtForm(action string) url.Values {
	return url.Values{"action": {action}, "sample": {gtSample}, "format": {"statement"}, "delimiter": {";"}, "date_layout": {"02/01/2006"},
		"col_date": {"Fecha"}, "col_amount": {"Importe"}, "col_currency": {"Mon"}, "col_description": {"Detalle"}, "col_reference": {"Doc"},
		"account": {"GT00FICTICIO01"}, "name": {"Banco Ficticio GT"}}
}

// postMultipart posts a sample file to the editor.
func (f *moneyFixture) postMultipart(path, cookie, csrf, filename, content string) *http.Response {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", csrf)
	mw.WriteField("action", "preview")
	fw, _ := mw.CreateFormFile("sample_file", filename)
	fw.Write([]byte(content))
	mw.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	return f.do(req)
}

func TestMappingEditorPreview(t *testing.T) {
	f := newMoneyFixture(t)
	cookie, csrf := f.session(f.users["analyst-m"])
	path := f.casePath("/money/mappings")
	if b := body(t, f.get(path, cookie)); !strings.Contains(b, "AMLworld") || !strings.Contains(b, "gt_semicolon") || !strings.Contains(b, "payments.csv") {
		t.Error("editor lacks the built-in presets or the case's CSV items")
	}
	// An uploaded sample shows its header and rows.
	b := body(t, f.postMultipart(path, cookie, csrf, "extracto.csv", gtSample))
	if !strings.Contains(cut(t, b, `data-testid="mapping-sample"`, "</section>"), "<th scope=\"col\">Importe</th>") {
		t.Error("sample header not shown")
	}
	// Mapping its columns previews the transactions and the bad lines.
	res := f.postForm(path, cookie, csrf, gtForm("preview"))
	b = body(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", res.StatusCode)
	}
	txs := cut(t, b, `data-testid="mapping-txs"`, "</table>")
	for _, want := range []string{"1500.00 GTQ", "700.00 GTQ", "cp:PAGO CLIENTE", "GT00FICTICIO01"} {
		if !strings.Contains(txs, want) {
			t.Errorf("parsed transactions lack %q", want)
		}
	}
	bad := cut(t, b, `data-testid="mapping-bad-lines"`, "</ul>")
	if !strings.Contains(bad, "Line 4:") || !strings.Contains(bad, "Line 5:") || strings.Contains(bad, "Line 2:") {
		t.Errorf("bad lines: %s", bad)
	}
	// A mapping naming a column the file lacks says so.
	form := gtForm("preview")
	form.Set("col_amount", "Monto")
	if b := body(t, f.postForm(path, cookie, csrf, form)); !strings.Contains(b, "missing from the header") {
		t.Error("a wrong column is not reported")
	}
}

func TestMappingPresetRoundTrip(t *testing.T) {
	f := newMoneyFixture(t)
	cookie, csrf := f.session(f.users["analyst-m"])
	path := f.casePath("/money/mappings")
	res := f.postForm(path, cookie, csrf, gtForm("save"))
	if b := body(t, res); res.StatusCode != http.StatusOK || !strings.Contains(b, `Saved preset &#34;Banco Ficticio GT&#34;`) {
		t.Fatalf("save: %d %s", res.StatusCode, truncate(b, 400))
	}
	saved, err := f.db.MoneyPresets(context.Background(), rastro.SystemActor("t"), f.caseID)
	must(t, err)
	if len(saved) != 1 || saved[0].CaseID != f.caseID || saved[0].Account != "GT00FICTICIO01" || !strings.Contains(string(saved[0].Mapping), `"amount":"Importe"`) {
		t.Fatalf("stored presets: %+v", saved)
	}
	// The saved preset previews the sample as the form did.
	form := url.Values{"action": {"preview"}, "sample": {gtSample}, "preset": {"Banco Ficticio GT"}}
	if b := body(t, f.postForm(path, cookie, csrf, form)); !strings.Contains(b, "1500.00 GTQ") || !strings.Contains(b, `value="Importe" selected`) {
		t.Error("the saved preset does not fill the form and preview")
	}
	// The API lists it, and previews with it.
	secret, _ := f.apiToken(f.users["analyst-m"], "read", "write")
	list := f.do(newAPIGet("/api/v1/cases/"+itoa(f.caseID)+"/money/mappings", secret))
	var got struct{ Builtin, Saved []*rastro.MoneyPreset }
	must(t, json.NewDecoder(list.Body).Decode(&got))
	if len(got.Builtin) != 5 || len(got.Saved) != 1 || got.Saved[0].Name != "Banco Ficticio GT" {
		t.Errorf("API presets: %d built-in, saved %+v", len(got.Builtin), got.Saved)
	}
	req := httptest.NewRequest("POST", "/api/v1/cases/"+itoa(f.caseID)+"/money/mappings",
		strings.NewReader(`{"action":"preview","preset":"Banco Ficticio GT","sample":`+jsonString(gtSample)+`}`))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	res = f.do(req)
	var prev mappingPreview
	must(t, json.NewDecoder(res.Body).Decode(&prev))
	if res.StatusCode != http.StatusOK || len(prev.Txs) != 2 || prev.Report == nil || prev.Report.ErrorCount != 2 {
		t.Errorf("API preview: %d %+v", res.StatusCode, prev)
	}
	if n := len(f.auditActions("money_preset_save")); n != 1 {
		t.Errorf("%d preset audit events", n)
	}
}

func TestMappingImportQueuesJob(t *testing.T) {
	f := newMoneyFixture(t)
	cookie, csrf := f.session(f.users["investigator-m"])
	path := f.casePath("/money/mappings")
	form := url.Values{"action": {"import"}, "evidence_id": {itoa(f.evidenceID)}, "preset": {"AMLworld"}}
	res := f.postForm(path, cookie, csrf, form)
	b := body(t, res)
	if res.StatusCode != http.StatusOK || !strings.Contains(b, "Money import queued") {
		t.Fatalf("import: %d %s", res.StatusCode, truncate(b, 300))
	}
	if txs := cut(t, b, `data-testid="mapping-txs"`, "</table>"); !strings.Contains(txs, "financier") || !strings.Contains(txs, "200.00 US Dollar") {
		t.Error("the import page does not preview the evidence item's transactions")
	}
	jobs, err := f.db.Jobs(context.Background(), rastro.SystemActor("t"), f.caseID)
	must(t, err)
	queued := 0
	for _, j := range jobs {
		if j.Kind == moneyImportJob {
			queued++
			var p struct {
				CaseID   int64 `json:"case_id"`
				Mappings map[string]struct{ Format string }
			}
			must(t, json.Unmarshal(j.Payload, &p))
			if p.CaseID != f.caseID || p.Mappings[itoa(f.evidenceID)].Format != "amlworld" {
				t.Errorf("payload %s", j.Payload)
			}
		}
	}
	if queued != 1 {
		t.Errorf("%d money import jobs queued, want 1", queued)
	}
	if n := len(f.auditActions("money_import_queued")); n != 1 {
		t.Errorf("%d money_import_queued audit events", n)
	}
	if n := len(f.auditActions("view_evidence")); n != 1 {
		t.Errorf("reading the sample wrote %d view_evidence audit events, want 1", n)
	}
	// Without an evidence item there is nothing to import.
	form = url.Values{"action": {"import"}, "sample": {gtSample}, "preset": {"AMLworld"}}
	if res := f.postForm(path, cookie, csrf, form); res.StatusCode != http.StatusBadRequest {
		t.Errorf("import of a bare sample: %d, want 400", res.StatusCode)
	}
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
