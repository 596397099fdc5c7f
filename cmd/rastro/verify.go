package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/custody"
)

// verify checks a court package offline: it needs no data directory and no
// database, only the package (and, ideally, the verifier key obtained from
// the producing agency by another channel).
func (e *environment) verify(ctx context.Context, args []string) error {
	fs := e.newFlags("verify")
	key := fs.String("key", "", "verifier key to pin (name+hash+base64, from the producing agency); without it the package's own key is used and the report says so")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return rastro.Errorf(rastro.EINVALID, "verify: usage: rastro verify [--key KEY] PACKAGE.zip|DIR")
	}
	var pinned []string
	if *key != "" {
		pinned = append(pinned, *key)
	}
	rep, err := custody.VerifyPackage(fs.Arg(0), pinned...)
	if rep == nil {
		return fmt.Errorf("verify: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(rep); jerr != nil {
			return jerr
		}
	} else if werr := rep.WriteText(e.stdout); werr != nil {
		return werr
	}
	if !rep.OK() {
		return fmt.Errorf("verify: %s: %d problems: the package does NOT verify", fs.Arg(0), len(rep.Problems))
	}
	return nil
}
