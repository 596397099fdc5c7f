// Package tmpdeps pins modules that packages under construction will import;
// it is removed once they do.
package tmpdeps

import (
	_ "github.com/transparency-dev/formats/log"
	_ "github.com/transparency-dev/merkle/rfc6962"
	_ "golang.org/x/mod/sumdb/note"
)
