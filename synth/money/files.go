package money

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
)

// Statement layouts.
const (
	layoutComma     = iota // Costa Rican export: quoted comma decimals, separate debit/credit
	layoutSemicolon        // Guatemalan/Dominican export: semicolons, signed amount, currency
	layoutUS               // US export: MM/DD/YYYY, negative debits, running balance
)

// Headers, written as line 1 of each file.
var layoutHeaders = [...]string{
	"Fecha,Referencia,Descripción,Débito,Crédito,Saldo",
	"Fecha Transacción;Documento;Concepto;Monto;Moneda;Saldo",
	"Date,Description,Amount,Running Balance",
}

const (
	amlHeader   = "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering"
	btcHeader   = "txid,time,from,to,amount_btc,fee_btc"
	tokenHeader = "tx_hash,block,time,from,to,token,amount,chain"
)

// File names under Params.Dir.
const (
	amlName   = "transactions_amlworld.csv"
	btcName   = "crypto_btc_transfers.csv"
	tokenName = "crypto_token_transfers.csv"
)

// outFile is a buffered output that knows its size and line count.
type outFile struct {
	rel  string // path relative to the case folder
	f    *os.File
	w    *bufio.Writer
	n    int64 // bytes written so far
	line int   // lines written so far (header is line 1)
}

// openOut creates dir/name; with dir == "" it writes to io.Discard (used to
// measure line sizes before the real run).
func openOut(dir, prefix, name, header string) (*outFile, error) {
	o := &outFile{rel: joinRel(prefix, name)}
	if dir == "" {
		o.w = bufio.NewWriterSize(io.Discard, 64<<10)
	} else {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		o.f, o.w = f, bufio.NewWriterSize(f, 256<<10)
	}
	o.put([]byte(header + "\n"))
	return o, nil
}

// put writes one complete line and returns its byte offset.
func (o *outFile) put(row []byte) int64 {
	off := o.n
	o.w.Write(row) // errors surface at Flush
	o.n += int64(len(row))
	o.line++
	return off
}

// close flushes and closes the file.
func (o *outFile) close() error {
	err := o.w.Flush()
	if o.f != nil {
		if cerr := o.f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// joinRel joins a case-relative prefix and a name with "/".
func joinRel(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "/" + name
}

// stmtFile is one account holder's statement.
type stmtFile struct {
	out    *outFile
	acct   int
	layout int
	bal    int64
}

// Payment formats as AMLworld writes them.
const (
	fmtACH = iota
	fmtWire
	fmtCash
	fmtCard
	fmtCheque
)

var formatNames = [...]string{"ACH", "Wire", "Cash", "Credit Card", "Cheque"}
