package synth

import (
	"fmt"

	"github.com/rastro/rastro/synth/money"
)

// genMoney writes the bank, AMLworld and crypto files around the story's accounts.
func (g *gen) genMoney() (*partial, error) {
	s := g.s
	res, err := money.Generate(money.Params{Seed: subSeed(g.o.Seed, 6), Dir: g.abs("money"), Prefix: "money",
		Start: s.sc.Start, End: s.sc.End, TargetBytes: g.spec.budget * shareMoney / 100, Accounts: s.accounts, Threshold: "10000.00"})
	if err != nil {
		return nil, fmt.Errorf("synth: money: %w", err)
	}
	files, err := g.describe(res.Files)
	if err != nil {
		return nil, err
	}
	return &partial{files: files, sels: res.Selectors, recs: res.Records, accounts: res.Accounts, typologies: res.Typologies}, nil
}
