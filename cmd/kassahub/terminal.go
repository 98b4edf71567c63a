package main

import (
	"fmt"
	"io"
	"time"
)

func terminal(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: terminal needs add or list", errUsage)
	}
	switch sub, rest := args[0], args[1:]; sub {
	case "add":
		return terminalAdd(rest, stdout, stderr)
	case "list":
		return terminalList(rest, stdout, stderr)
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: unknown terminal command %q", errUsage, sub)
	}
}

// terminalAdd registers a terminal and prints its token, alone on one line, so scripts can capture it.
func terminalAdd(args []string, stdout, stderr io.Writer) (err error) {
	fl, data := newFlags("terminal add", stderr)
	store := fl.String("store", "", "store the terminal belongs to (required)")
	name := fl.String("name", "", "terminal name, unique in the store (required)")
	if err := parse(fl, args); err != nil {
		return err
	}
	if *store == "" || *name == "" {
		return fmt.Errorf("%w: terminal add needs --store and --name", errUsage)
	}
	st, err := openData(*data, true)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	token, err := st.AddTerminal(*store, *name)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, token)
	return err
}

func terminalList(args []string, stdout, stderr io.Writer) (err error) {
	fl, data := newFlags("terminal list", stderr)
	if err := parse(fl, args); err != nil {
		return err
	}
	st, err := openData(*data, false)
	if err != nil {
		return err
	}
	defer st.Close()
	terms, err := st.Terminals()
	if err != nil {
		return err
	}
	for _, t := range terms {
		if _, err := fmt.Fprintf(stdout, "%s\t%s\t%s\n", t.Store, t.Name, t.Created.Format(time.RFC3339)); err != nil {
			return err
		}
	}
	return nil
}
