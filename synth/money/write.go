package money

import (
	"math/rand/v2"

	"github.com/rastro/rastro/synth/truth"
)

// Transaction kinds; they choose the statement description.
const (
	kGrocery = iota
	kSalary
	kRent
	kUtility
	kP2P
	kRemit
	kCashDeposit
	kEarnings
	kCollect
	kTransfer
	kPurchase // card purchase described by memo (ads, hotels, tickets)
	kCrypto
	nKinds
)

// Descriptions on the payer's and the payee's statement, Spanish and English.
var (
	descDebitES  = [nKinds]string{"COMPRA POS ", "PAGO PLANILLA ", "PAGO ALQUILER ", "PAGO SERVICIO ", "TRANSFERENCIA A ", "ENVIO REMESA A ", "", "TRANSFERENCIA A ", "TRANSFERENCIA A ", "TRANSFERENCIA A ", "COMPRA ", "COMPRA CRIPTO "}
	descCreditES = [nKinds]string{"VENTA POS ", "SALARIO ", "ALQUILER RECIBIDO ", "COBRO SERVICIO ", "TRANSFERENCIA DE ", "REMESA RECIBIDA DE ", "DEPOSITO EFECTIVO ", "TRANSFERENCIA DE ", "TRANSFERENCIA DE ", "TRANSFERENCIA DE ", "VENTA ", "VENTA CRIPTO "}
	descDebitEN  = [nKinds]string{"POS PURCHASE ", "PAYROLL ", "RENT PAYMENT ", "UTILITY PAYMENT ", "TRANSFER TO ", "REMITTANCE TO ", "", "TRANSFER TO ", "TRANSFER TO ", "TRANSFER TO ", "PURCHASE ", "CRYPTO PURCHASE "}
	descCreditEN = [nKinds]string{"POS SALE ", "DIRECT DEPOSIT ", "RENT RECEIVED ", "UTILITY RECEIVED ", "TRANSFER FROM ", "REMITTANCE FROM ", "CASH DEPOSIT ", "TRANSFER FROM ", "TRANSFER FROM ", "TRANSFER FROM ", "SALE ", "CRYPTO SALE "}
)

// Tokens on account-based chains.
const (
	tokUSDT = iota // 6 decimals
	tokETH         // amount kept in gwei, written with 18 decimals
)

// tx is one transfer on one rail. Amounts are minor units of the payer's
// (paid) and payee's (recv) currency; satoshi for BTC; 10^-6 USDT or gwei.
type tx struct {
	t          int64
	from, to   int32
	paid, recv int64
	fee        int64
	typ        int32 // planted typology index, -1 if none
	rail       uint8
	format     uint8
	kind       uint8
	token      uint8
	laundering bool
	story      bool   // touches a story account: gets RecordRefs
	memo       string // replaces the description (both sides) when set
	card       string // card number inside memo, planted as a selector
}

// writer writes transactions to every file they belong to.
type writer struct {
	accts      []acct
	aml        *outFile
	btc, tok   *outFile
	stmts      []*stmtFile
	clk        clock
	row        []byte
	r          *rand.Rand // transaction hashes
	seq        int64
	typs       []truth.Typology
	selectors  []truth.Selector
	records    []truth.RecordRef
	amlRecords bool
}

// write sends one transaction to its files.
func (w *writer) write(t *tx) {
	switch t.rail {
	case railBank:
		w.writeBank(t)
	case railBTC:
		w.writeBTC(t)
	default:
		w.writeToken(t)
	}
}

// appendRef writes the bank reference of the current transaction.
func (w *writer) appendRef(b []byte) []byte {
	b = append(b, 'F', 'T')
	return appendPadded(b, w.seq, 10)
}

// writeBank writes the AMLworld line and the statement lines.
func (w *writer) writeBank(t *tx) {
	w.seq++
	from, to := &w.accts[t.from], &w.accts[t.to]
	b := w.clk.appendAML(w.row[:0], t.t)
	b = append(b, ',')
	b = append(b, countries[from.country].bankID...)
	b = append(b, ',')
	fromAt := len(b)
	b = append(b, from.Number...)
	b = append(b, ',')
	b = append(b, countries[to.country].bankID...)
	b = append(b, ',')
	toAt := len(b)
	b = append(b, to.Number...)
	b = append(b, ',')
	b = appendDecimal(b, t.recv, 2, '.', 0)
	b = append(b, ',')
	b = append(b, currencies[to.cur].name...)
	b = append(b, ',')
	b = appendDecimal(b, t.paid, 2, '.', 0)
	b = append(b, ',')
	b = append(b, currencies[from.cur].name...)
	b = append(b, ',')
	b = append(b, formatNames[t.format]...)
	if t.laundering {
		b = append(b, ",1\n"...)
	} else {
		b = append(b, ",0\n"...)
	}
	off := w.aml.put(b)
	w.row = b
	if from.story && from.iban {
		w.selector(from, "iban", w.aml.rel, off+int64(fromAt))
	}
	if to.story && to.iban && t.to != t.from {
		w.selector(to, "iban", w.aml.rel, off+int64(toAt))
	}
	if t.story || t.typ >= 0 {
		w.mark(t, w.aml, w.appendRef(nil))
	}
	if from.stmt >= 0 && !(t.kind == kCashDeposit) {
		w.statementLine(w.stmts[from.stmt], t, true)
	}
	if to.stmt >= 0 {
		w.statementLine(w.stmts[to.stmt], t, false)
	}
}

// mark records the RecordRef and TxRef of a story or planted transaction.
func (w *writer) mark(t *tx, o *outFile, id []byte) {
	if t.story {
		w.records = append(w.records, truth.RecordRef{File: o.rel, Locator: "line:" + itoa(o.line), Kind: "transaction", Person: w.accts[t.from].Holder})
	}
	if t.typ >= 0 {
		ty := &w.typs[t.typ]
		ty.Transactions = append(ty.Transactions, truth.TxRef{TxID: string(id), File: o.rel, Line: o.line})
	}
}

// selector records a planted identifier of a story account.
func (w *writer) selector(a *acct, kind, file string, off int64) {
	w.selectors = append(w.selectors, truth.Selector{Kind: kind, Value: a.Number, Form: a.Number, File: file, Offset: off, Owner: a.Holder})
}

// statementLine writes t on the statement s, as a debit or a credit.
func (w *writer) statementLine(s *stmtFile, t *tx, debit bool) {
	amt, other := t.recv, &w.accts[t.from]
	if debit {
		amt, other = -t.paid, &w.accts[t.to]
	}
	s.bal += amt
	b := w.row[:0]
	switch s.layout {
	case layoutComma:
		b = w.clk.appendDMY(b, t.t)
		b = append(b, ',')
		b = w.appendRef(b)
		b = append(b, ',')
	case layoutSemicolon:
		b = w.clk.appendDMY(b, t.t)
		b = append(b, ';')
		b = w.appendRef(b)
		b = append(b, ';')
	default:
		b = w.clk.appendMDY(b, t.t)
		b = append(b, ',')
	}
	b, ibanAt, cardAt := w.description(b, s.layout, t, debit, other)
	b = appendAmounts(b, s, amt, w.accts[s.acct].cur)
	off := s.out.put(b)
	w.row = b
	if ibanAt >= 0 {
		w.selector(other, "iban", s.out.rel, off+int64(ibanAt))
	}
	if cardAt >= 0 {
		w.selectors = append(w.selectors, truth.Selector{Kind: "card", Value: t.card, Form: t.card, File: s.out.rel, Offset: off + int64(cardAt), Owner: w.accts[t.from].Holder})
	}
	if t.story {
		w.records = append(w.records, truth.RecordRef{File: s.out.rel, Locator: "line:" + itoa(s.out.line), Kind: "transaction", Person: w.accts[t.from].Holder})
	}
}

// description appends the description field and returns where a story
// counterparty IBAN and a memo card number start in b (-1 if absent).
func (w *writer) description(b []byte, layout int, t *tx, debit bool, other *acct) ([]byte, int, int) {
	ibanAt, cardAt := -1, -1
	if t.memo != "" && t.kind != kCashDeposit {
		start := len(b)
		b = append(b, t.memo...)
		if t.card != "" {
			cardAt = start + indexOf(t.memo, t.card)
		}
	} else {
		var prefix string
		switch {
		case layout == layoutUS && debit:
			prefix = descDebitEN[t.kind]
		case layout == layoutUS:
			prefix = descCreditEN[t.kind]
		case debit:
			prefix = descDebitES[t.kind]
		default:
			prefix = descCreditES[t.kind]
		}
		b = append(b, prefix...)
		switch {
		case t.kind == kCashDeposit:
			b = append(b, t.memo...)
		case other.name != "":
			b = append(b, other.name...)
		default:
			if other.story && other.iban {
				ibanAt = len(b)
			}
			b = append(b, other.Number...)
		}
	}
	if layout == layoutSemicolon {
		b = append(b, ';')
	} else {
		b = append(b, ',')
	}
	return b, ibanAt, cardAt
}

// appendAmounts writes the amount and balance columns of a statement row.
func appendAmounts(b []byte, s *stmtFile, amt int64, cur int) []byte {
	switch s.layout {
	case layoutComma:
		if amt < 0 {
			b = appendQuoted(b, -amt)
			b = append(b, ',', ',')
		} else {
			b = append(b, ',')
			b = appendQuoted(b, amt)
			b = append(b, ',')
		}
		b = appendQuoted(b, s.bal)
	case layoutSemicolon:
		b = appendDecimal(b, amt, 2, '.', ',')
		b = append(b, ';')
		b = append(b, currencies[cur].code...)
		b = append(b, ';')
		b = appendDecimal(b, s.bal, 2, '.', ',')
	default:
		b = appendDecimal(b, amt, 2, '.', 0)
		b = append(b, ',')
		b = appendDecimal(b, s.bal, 2, '.', 0)
	}
	return append(b, '\n')
}

// appendQuoted writes "1.234,56" (Costa Rican style, quoted for CSV).
func appendQuoted(b []byte, v int64) []byte {
	b = append(b, '"')
	b = appendDecimal(b, v, 2, ',', '.')
	return append(b, '"')
}

// writeBTC writes one BTC transfer.
func (w *writer) writeBTC(t *tx) {
	b := appendHash(w.row[:0], w.r)
	idLen := len(b)
	b = append(b, ',')
	b = w.clk.appendISO(b, t.t)
	b = append(b, ',')
	from, to := &w.accts[t.from], &w.accts[t.to]
	fromAt := len(b)
	b = append(b, from.Number...)
	b = append(b, ',')
	toAt := len(b)
	b = append(b, to.Number...)
	b = append(b, ',')
	b = appendDecimal(b, t.paid, 8, '.', 0)
	b = append(b, ',')
	b = appendDecimal(b, t.fee, 8, '.', 0)
	b = append(b, '\n')
	off := w.btc.put(b)
	w.row = b
	w.walletSelectors(from, to, w.btc.rel, off, fromAt, toAt)
	if t.story || t.typ >= 0 {
		w.mark(t, w.btc, b[:idLen])
	}
}

// writeToken writes one ERC-20/TRC-20 or ETH transfer.
func (w *writer) writeToken(t *tx) {
	from, to := &w.accts[t.from], &w.accts[t.to]
	b := w.row[:0]
	if from.chain == "ethereum" {
		b = append(b, '0', 'x')
	}
	b = appendHash(b, w.r)
	idLen := len(b)
	b = append(b, ',')
	b = appendBlock(b, from.chain, t.t)
	b = append(b, ',')
	b = w.clk.appendISO(b, t.t)
	b = append(b, ',')
	fromAt := len(b)
	b = append(b, from.Number...)
	b = append(b, ',')
	toAt := len(b)
	b = append(b, to.Number...)
	if t.token == tokETH {
		b = append(b, ",ETH,"...)
		b = appendDecimal(b, t.paid, 9, '.', 0)
		b = append(b, "000000000"...)
	} else {
		b = append(b, ",USDT,"...)
		b = appendDecimal(b, t.paid, 6, '.', 0)
	}
	b = append(b, ',')
	b = append(b, from.chain...)
	b = append(b, '\n')
	off := w.tok.put(b)
	w.row = b
	w.walletSelectors(from, to, w.tok.rel, off, fromAt, toAt)
	if t.story || t.typ >= 0 {
		w.mark(t, w.tok, b[:idLen])
	}
}

// walletSelectors records story wallets at their offsets.
func (w *writer) walletSelectors(from, to *acct, file string, off int64, fromAt, toAt int) {
	if from.story {
		w.selector(from, from.Kind, file, off+int64(fromAt))
	}
	if to.story {
		w.selector(to, to.Kind, file, off+int64(toAt))
	}
}

// appendHash writes 64 random hex digits.
func appendHash(b []byte, r *rand.Rand) []byte {
	for range 4 {
		v := r.Uint64()
		for range 16 {
			b = append(b, hexDigits[v&15])
			v >>= 4
		}
	}
	return b
}

// appendBlock derives a plausible block height from the time (12 s blocks
// on Ethereum, 3 s on TRON), so heights grow with time.
func appendBlock(b []byte, chain string, t int64) []byte {
	const epoch = 1704067200 // 2024-01-01
	if chain == "tron" {
		return appendInt(b, 57000000+(t-epoch)/3)
	}
	return appendInt(b, 18908000+(t-epoch)/12)
}
