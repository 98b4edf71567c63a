package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/kassa-pos/kassa/sync/hub"
)

// terminalAdd registers a terminal and prints its token, alone on one line, so scripts can capture it.
func terminalAdd(args []string, stdout, stderr io.Writer) (err error) {
	fl, com := newFlags("terminal add", stderr)
	store := fl.String("store", "", "store the terminal belongs to (required)")
	name := fl.String("name", "", "terminal name, unique in the store (required)")
	if err := parse(fl, args); err != nil {
		return err
	}
	if *store == "" || *name == "" {
		return fmt.Errorf("%w: terminal add needs --store and --name", errUsage)
	}
	cfg, err := com.load()
	if err != nil {
		return err
	}
	if err := cfg.knowsStore(*store); err != nil {
		return err
	}
	st, err := openData(cfg, true)
	if err != nil {
		return err
	}
	defer closeData(st, &err)
	token, err := st.AddTerminal(*store, *name)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, token)
	return err
}

// terminalList prints the terminals with their event sequence: the last seq received, how many gaps (a
// lost, restored or replaced terminal database) and the latest one.
func terminalList(args []string, stdout, stderr io.Writer) (err error) {
	fl, com := newFlags("terminal list", stderr)
	if err := parse(fl, args); err != nil {
		return err
	}
	st, err := com.open()
	if err != nil {
		return err
	}
	defer st.Close()
	terms, err := st.Terminals()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "STORE\tNAME\tCREATED\tLAST_SEQ\tEVENTS\tREJECTED\tGAPS\tLAST_GAP\tLAST_SEEN")
	for _, t := range terms {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\n", t.Store, t.Name, t.Created.Format(time.RFC3339),
			t.LastSeq, t.Events, t.Rejected, t.Gaps, lastGap(t), orDash(t.LastSeen))
	}
	return w.Flush()
}

func lastGap(t hub.TerminalInfo) string {
	if t.LastGap == nil {
		return "-"
	}
	return fmt.Sprintf("%d->%d", t.LastGap.Last, t.LastGap.Received)
}

func orDash(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.RFC3339)
}

// token prints a fresh token and the SHA-256 a config lists for it ([admin] token_sha256, or a terminal's
// token_sha256): the token goes to the terminal or the web shop, the hash to kassahub's config.
func token(args []string, stdout, stderr io.Writer) error {
	fl, _ := newFlags("token", stderr)
	if err := parse(fl, args); err != nil {
		return err
	}
	tok, hash, err := hub.NewToken()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "token %s\nsha256 %s\n", tok, hash)
	return err
}
