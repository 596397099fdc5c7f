package ingest

import (
	"errors"
	"io"
)

var errTODO = errors.New("todo")

func ParseEML(r io.Reader, name string, opt Options, fn Func) (*Report, error)  { return nil, errTODO }
func ParseMbox(r io.Reader, name string, opt Options, fn Func) (*Report, error) { return nil, errTODO }
func ParseHTML(r io.Reader, name string, opt Options, fn Func) (*Report, error) { return nil, errTODO }
func ParseText(r io.Reader, name string, opt Options, fn Func) (*Report, error) { return nil, errTODO }
