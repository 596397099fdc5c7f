// Command rastro is Rastro's single binary: the investigation server, its
// administration commands, the training-scenario generator and exports.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `rastro — evidence-grade investigation platform against child trafficking

Usage: rastro <command> [flags]

Commands:
  serve                       run the web UI, JSON API and background jobs
  demo                        generate a fictional training case and serve it
  migrate                     apply database migrations and exit
  user add|passwd|list        manage users
  agency add|list             manage agencies
  case add|list|member        manage cases (add prints the new case's id)
  ingest --case ID PATH...    store files, folders and archives as evidence (encrypted, hashed, custody logged)
  export evidence --case ID --out PKG.zip [--items IDS] [--hashes-only IDS]
                              write a court package (originals, custody proofs, CASE/UCO, report)
  export ftm --case ID --out FILE [--victim-data --purpose TEXT]
                              export a case as FollowTheMoney JSON lines (victims redacted by default)
  htcds import --case ID FILE.csv
  htcds export --case ID --out FILE.csv [--personal-data --purpose TEXT]
                              IOM HTCDS 2.0 case records (victims' data redacted by default)
  stats export --case ID --out FILE.csv [--k 11] [--epsilon E]
                              anonymised CTDC-style counts (k-anonymity, differential privacy)
  money scan --in FILE|DIR [--format auto|amlworld|amlsim|btc|token|MAPPING.json] [--out alerts.csv]
  money trace --in FILE|DIR --from ACCOUNT|--tx TXID [--backward] [--hops 5] [--model fifo|haircut|poison] [--out trace.csv]
                              flag laundering typologies and trafficking red flags, or trace funds, in plain files
  money import --case ID      turn a case's money evidence into accounts, payments and findings
  extract PATH... --out selectors.tsv [--region CR] [--kinds phone,email,...] [--decoys]
                              list phones, e-mails, wallets, IBANs, ... in files, folders and zips, one
                              TSV line each (kind, value, raw, file, start, end, obfuscation, valid, context)
  parse FILE --out records.jsonl [--format whatsapp|telegram|discord|csv|ads|eml|mbox|html|text]
        [--tz ZONE] [--date-order dmy|mdy]
                              one JSON object per message, ad, page or e-mail; the parse report on stderr
  resolve --in records.csv --id COLUMN --out clusters.csv [--fields a,b] [--typed] [--threshold 0.9]
          [--explain pairs.csv]
                              identity resolution of CSV records: record_id,cluster_id (+ pair scores and reasons)
  network --edges edges.tsv --out nodes.csv [--directed] [--communities leiden|none] [--resolution 1]
          [--centrality degree,betweenness,pagerank,kcore] [--samples N] [--seed 1]
                              node, community, centralities, and role: the Gould-Fernandez brokerage role the
                              node plays most between communities (liaison, gatekeeper, representative, ...)
  gen --size S --seed N --out DIR
                              write a fictional training case (evidence + truth.json)
  jobs run [--workers N]      run the queued background jobs (parsing, imports) and exit
  verify [--key KEY] PACKAGE  check a court package offline (docs/VERIFY.md)
  version                     print the version

Commands that use a case take --data DIR (RASTRO_DATA, default ./rastro-data) and
--db DSN (RASTRO_DB; empty for the embedded SQLite store in DIR, or postgres://...).
Run 'rastro <command> -h' for the command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "rastro:", err)
		}
		os.Exit(2)
	}
}

// run dispatches a command line; it is main without the process around it,
// so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	env := &environment{stdout: stdout, stderr: stderr}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return env.serve(ctx, rest)
	case "demo":
		return env.demo(ctx, rest)
	case "migrate":
		return env.migrate(ctx, rest)
	case "user":
		return env.sub(ctx, "user", rest, map[string]command{"add": env.userAdd, "passwd": env.userPasswd, "list": env.userList})
	case "agency":
		return env.sub(ctx, "agency", rest, map[string]command{"add": env.agencyAdd, "list": env.agencyList})
	case "case":
		return env.sub(ctx, "case", rest, map[string]command{"add": env.caseAdd, "list": env.caseList, "member": env.caseMember})
	case "export":
		return env.sub(ctx, "export", rest, map[string]command{"ftm": env.exportFtM, "evidence": env.exportEvidence})
	case "htcds":
		return env.sub(ctx, "htcds", rest, map[string]command{"import": env.htcdsImport, "export": env.htcdsExport})
	case "stats":
		return env.sub(ctx, "stats", rest, map[string]command{"export": env.statsExport})
	case "money":
		return env.money(ctx, rest)
	case "extract":
		return env.plainExtract(ctx, rest)
	case "parse":
		return env.plainParse(ctx, rest)
	case "resolve":
		return env.plainResolve(ctx, rest)
	case "network":
		return env.plainNetwork(ctx, rest)
	case "gen":
		return env.gen(ctx, rest)
	case "ingest":
		return env.ingest(ctx, rest)
	case "jobs":
		return env.sub(ctx, "jobs", rest, map[string]command{"run": env.jobsRun})
	case "verify":
		return env.verify(ctx, rest)
	case "version":
		fmt.Fprintln(stdout, "rastro", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

type command func(ctx context.Context, args []string) error

// environment carries the process's outputs to every command.
type environment struct {
	stdout, stderr io.Writer
}

func (e *environment) sub(ctx context.Context, name string, args []string, cmds map[string]command) error {
	if len(args) == 0 {
		return fmt.Errorf("%s: missing subcommand (one of %s)", name, keys(cmds))
	}
	c, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("%s: unknown subcommand %q (one of %s)", name, args[0], keys(cmds))
	}
	return c(ctx, args[1:])
}
