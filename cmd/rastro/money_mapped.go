package main

import (
	"github.com/rastro/rastro/money"
)

// load reads the sources: those with a mapping chosen in the web's column
// mapping editor one by one with it, the others together with detection by
// header (statements reconciled with the ledgers among them).
func (m *moneyImport) load(srcs []money.Source) (*money.Dataset, error) {
	var auto []money.Source
	var mapped []*money.Dataset
	for _, src := range srcs {
		mp, ok := m.mappings[m.evidence[src.Name]]
		if !ok {
			auto = append(auto, src)
			continue
		}
		opts := money.ReadOptions{Format: mp.Format, Mapping: mp.Mapping, Account: mp.Account}
		if mp.Mapping != nil && opts.Format == "" {
			opts.Format = money.FormatStatement
		}
		ds, _, err := money.Load([]money.Source{src}, opts, nil)
		if err != nil {
			return nil, err
		}
		mapped = append(mapped, ds)
	}
	ds, _, err := money.Load(auto, money.ReadOptions{}, nil)
	if err != nil {
		return nil, err
	}
	for _, d := range mapped {
		ds.Txs = append(ds.Txs, d.Txs...)
		ds.Reports = append(ds.Reports, d.Reports...)
		for k, v := range d.StatementAccount {
			ds.StatementAccount[k] = v
		}
	}
	if len(mapped) > 0 {
		money.SortByTime(ds.Txs)
	}
	return ds, nil
}
