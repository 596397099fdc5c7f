package money

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestReadBadLinesAreReported(t *testing.T) {
	in := headerAMLworld + "\n" +
		"2025/05/20 06:11,0917,A1,0917,B2,14458.54,Dominican Peso,14458.54,Dominican Peso,Cheque,0\n" +
		"2025/05/20 06:12,0917,A1,0917,B2,oops,Dominican Peso,1.00,Dominican Peso,ACH,0\n" +
		"2025/13/20 06:12,0917,A1,0917,B2,1.00,US Dollar,1.00,US Dollar,ACH,1\n" +
		"2025/05/21 07:00,0918,B2,0919,C3,50.00,US Dollar,870.00,Mexican Peso,Wire,1\n"
	var txs []Tx
	var progress int64
	rep, err := Read(strings.NewReader(in), ReadOptions{File: "x.csv", Progress: func(n int64) { progress = n }}, func(t *Tx) error { txs = append(txs, *t); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if progress != int64(len(in)) {
		t.Errorf("progress reported %d bytes, want %d", progress, len(in))
	}
	if rep.Format != FormatAMLworld || rep.Txs != 2 || rep.ErrorCount != 2 {
		t.Fatalf("report %+v", rep)
	}
	if rep.Errors[0].Line != 3 || !strings.Contains(rep.Errors[0].Reason, "amount received") {
		t.Errorf("first error %v, want line 3 amount received", rep.Errors[0])
	}
	last := txs[1]
	if last.From != "B2" || last.To != "C3" || last.Line != 5 || last.Amount.String() != "870.00" || last.Currency != "Mexican Peso" ||
		last.Received.String() != "50.00" || last.RecvCur != "US Dollar" || !last.Label {
		t.Errorf("accounts by position / amounts wrong: %+v", last)
	}
}

func TestReadStatementPresets(t *testing.T) {
	tests := []struct {
		name, in, wantAmt, wantFrom string
	}{
		{"cr comma", "Fecha,Referencia,Descripción,Débito,Crédito,Saldo\n20/05/2025,,SALDO ANTERIOR,,,\"3.965.260,00\"\n20/05/2025,FT1,COMPRA POS X,\"2.909.810,00\",,\"1,00\"\n", "2909810.00", "statement:s"},
		{"gt semicolon", "Fecha Transacción;Documento;Concepto;Monto;Moneda;Saldo\n23/05/2025;FT2;DEPOSITO EFECTIVO SUC. COBAN;9,500.00;GTQ;1.00\n", "9500.00", "statement:s"},
		{"us running", "Date,Description,Amount,Running Balance\n05/23/2025,POS PURCHASE SHOP,-1008.95,278473.85\n", "1008.95", "statement:s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var txs []Tx
			rep, err := Read(strings.NewReader(tc.in), ReadOptions{File: "s.csv"}, func(t *Tx) error { txs = append(txs, *t); return nil })
			if err != nil {
				t.Fatal(err)
			}
			if rep.ErrorCount != 0 || len(txs) != 1 {
				t.Fatalf("report %+v, txs %d", rep, len(txs))
			}
			if txs[0].Amount.String() != tc.wantAmt || txs[0].From != tc.wantFrom {
				t.Errorf("got %s from %s", txs[0].Amount, txs[0].From)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	f.Add(headerAMLworld + "\n2025/05/20 06:11,0917,A1,0917,B2,1.00,USD,1.00,USD,ACH,0\n")
	f.Add("Fecha,Referencia,Descripción,Débito,Crédito,Saldo\n20/05/2025,FT1,\"X\",\"1,00\",,\n")
	f.Fuzz(func(t *testing.T, s string) {
		Read(strings.NewReader(s), ReadOptions{File: "f.csv"}, func(*Tx) error { return nil })
	})
}

func TestCustomMappingStatementAlone(t *testing.T) {
	m, err := ParseMapping([]byte(`{"name":"mybank","delimiter":"\\t","date_layout":"2006-01-02","decimal_comma":true,"currency":"EUR",
		"columns":{"date":"Datum","description":"Text","amount":"Betrag","counterparty":"Empfänger"}}`))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("Datum\tText\tBetrag\tEmpfänger\n")
	for d := 1; d <= 6; d++ {
		b.WriteString("2025-06-0" + strconv.Itoa(d) + "\tKARTE ANUNCIO CLASSIFIED\t-12,50\tAdsite Ltd\n")
	}
	b.WriteString("2025-06-07\tbroken\t12;50\tX\n")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "konto.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var txs []Tx
	rep, err := ReadFile(filepath.Join(dir, "konto.csv"), ReadOptions{File: "konto.csv", Mapping: m, Account: "DE-ACC"}, func(x *Tx) error { txs = append(txs, *x); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if rep.ErrorCount != 1 || rep.Errors[0].Line != 8 || len(txs) != 6 {
		t.Fatalf("report %+v", rep)
	}
	if x := txs[0]; x.From != "DE-ACC" || x.To != "cp:Adsite Ltd" || x.Amount.String() != "12.50" || x.Currency != "EUR" {
		t.Errorf("row %+v", x)
	}
	rules, err := DefaultRulePack()
	if err != nil {
		t.Fatal(err)
	}
	alerts := NewGraph(txs).Evaluate(rules, nil, nil)
	if len(alerts) != 1 || alerts[0].Kind != "ht.ad_payments" || alerts[0].Account != "DE-ACC" || len(alerts[0].Refs) != 6 {
		t.Fatalf("a statement alone should raise the ad-payment red flag: %+v", alerts)
	}
	var out strings.Builder
	if err := WriteAlertsCSV(&out, alerts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "DE-ACC,ht.ad_payments,") || !strings.Contains(out.String(), "konto.csv:2") {
		t.Errorf("alerts CSV:\n%s", out.String())
	}
}
