package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/kassa-pos/kassa/pos/staff"
	"github.com/kassa-pos/kassa/pos/store"
)

const userUsage = `usage:
  kassa user add --name NAME --role cashier|senior|admin [--inn INN] [--config FILE] [--data DIR]
                 (the new PIN, 4 to 8 digits, is read from stdin twice: typed, or lines of a file)
  kassa user list [--config FILE] [--data DIR]
  kassa user disable [--config FILE] [--data DIR] ID|NAME
Once the till has an administrator, add and disable first read an administrator's PIN from stdin.
Run them while the till is closed: the database is the till's own.`

// demoUsers are the demo's people; the demo login screen shows them (demoHint).
var demoUsers = []struct {
	name string
	role staff.Role
	pin  string
}{
	{"Иванова А.", staff.RoleCashier, "1111"},
	{"Петрова М.", staff.RoleSenior, "2222"},
	{"Администратор", staff.RoleAdmin, "0000"},
}

// staffParams is the argon2id cost of new PINs; tests lower it.
var staffParams = staff.DefaultParams

// demoHint is the demo login screen's reminder of the demo PINs.
const demoHint = "Демо: Иванова А. (кассир) — 1111 · Петрова М. (старший кассир) — 2222 · Администратор — 0000"

// userMain is `kassa user add|list|disable`.
func userMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list" && args[0] != "disable") {
		fmt.Fprintln(stderr, userUsage)
		return 2
	}
	cmd := args[0]
	fs := flag.NewFlagSet("kassa user "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "configuration file (TOML)")
	data := fs.String("data", "", "data folder (overrides the config)")
	name := fs.String("name", "", "the user's name as receipts print it (tag 1021)")
	role := fs.String("role", "", "cashier, senior or admin")
	inn := fs.String("inn", "", "the cashier's own INN, 12 digits (tag 1203); optional")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, "kassa user:", err)
		return 2
	}
	if *data != "" {
		cfg.Data = *data
	}
	st, err := store.Open(filepath.Join(cfg.Data, "kassa.db"), store.Options{Terminal: cfg.Terminal})
	if err != nil {
		fmt.Fprintln(stderr, "kassa user:", err)
		if errors.Is(err, store.ErrLocked) {
			fmt.Fprintln(stderr, "kassa user: close the till first")
		}
		return 1
	}
	defer st.Close()
	svc, err := staff.New(staff.Config{Store: st, Params: staffParams})
	if err != nil {
		fmt.Fprintln(stderr, "kassa user:", err)
		return 1
	}
	if f, ok := stdin.(*os.File); ok && cmd != "list" {
		defer noEcho(f)() // PINs typed at a terminal are not shown
	}
	in := bufio.NewReader(stdin)
	switch cmd {
	case "add":
		var r staff.Role
		if r, err = addArgs(*name, *role); err == nil {
			if err = asAdmin(svc, in, stdout, "add "+*name+" ("+*role+")"); err == nil {
				err = userAdd(svc, *name, r, *inn, in, stdout)
			}
		}
	case "list":
		err = userList(svc, stdout)
	case "disable":
		if fs.NArg() != 1 {
			fmt.Fprintln(stderr, userUsage)
			return 2
		}
		var u staff.User
		if err = asAdmin(svc, in, stdout, "disable "+fs.Arg(0)); err == nil {
			if u, err = svc.Disable(fs.Arg(0)); err == nil {
				fmt.Fprintf(stdout, "disabled %s %s\n", u.ID, u.Name)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "kassa user:", err)
		if errors.Is(err, errUserUsage) {
			return 2
		}
		return 1
	}
	return 0
}

var errUserUsage = errors.New("usage")

// noEcho turns a terminal's echo off while PINs are typed and returns what turns it back on; stdin that
// is not a terminal (a file, a pipe) is left alone.
func noEcho(f *os.File) func() {
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	stty := func(arg string) error {
		c := exec.Command("stty", arg)
		c.Stdin = f
		return c.Run()
	}
	if stty("-echo") != nil {
		return func() {}
	}
	return func() { _ = stty("echo") }
}

// asAdmin asks for an administrator's PIN (the first line of stdin) once the till has an active
// administrator: only administrators manage users (UI.md §1.7). The check goes through the PIN limiter and
// into the audit log like any other. The first users of a new till need none.
func asAdmin(svc *staff.Service, in *bufio.Reader, stdout io.Writer, what string) error {
	users, err := svc.Users()
	if err != nil {
		return err
	}
	admin := false
	for _, u := range users {
		admin = admin || (u.Role == staff.RoleAdmin && !u.Disabled)
	}
	if !admin {
		return nil
	}
	fmt.Fprint(stdout, "Administrator's PIN: ")
	pin, err := readLine(in)
	fmt.Fprintln(stdout)
	if err != nil {
		return err
	}
	_, err = svc.Authorise(pin, staff.ActManageUsers, staff.User{}, staff.Context{Detail: "kassa user " + what})
	return err
}

// addArgs checks add's flags before any PIN is asked for.
func addArgs(name, roleName string) (staff.Role, error) {
	if name == "" || roleName == "" {
		return 0, fmt.Errorf("%w: --name and --role are required", errUserUsage)
	}
	role, err := staff.ParseRole(roleName)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", errUserUsage, err)
	}
	return role, nil
}

func userAdd(svc *staff.Service, name string, role staff.Role, inn string, r *bufio.Reader, stdout io.Writer) error {
	fmt.Fprint(stdout, "PIN: ")
	pin, err := readLine(r)
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, "\nPIN again: ")
	again, err := readLine(r)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	if pin != again {
		return errors.New("the two PINs differ")
	}
	u, err := svc.NewUser(name, role, inn, pin)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %s %s (%s)\n", u.ID, u.Name, u.Role)
	return nil
}

func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || line == "") {
		return "", fmt.Errorf("read the PIN from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func userList(svc *staff.Service, stdout io.Writer) error {
	users, err := svc.Users()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tINN\tSTATUS")
	for _, u := range users {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		inn := u.INN
		if inn == "" {
			inn = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.ID, u.Name, u.Role, inn, status)
	}
	return tw.Flush()
}

// openStaff is the terminal's staff service; the demo gets its three users on first start. A till without
// any active user cannot log in, so that is a start-up error naming the command that fixes it.
func openStaff(st *store.Store, demo bool) (*staff.Service, error) {
	svc, err := staff.New(staff.Config{Store: st, Params: staffParams})
	if err != nil {
		return nil, err
	}
	users, err := svc.Users()
	if err != nil {
		return nil, err
	}
	active := 0
	for _, u := range users {
		if !u.Disabled {
			active++
		}
	}
	if active > 0 {
		return svc, nil
	}
	if !demo {
		return nil, fmt.Errorf("%w: add one with `kassa user add --name … --role admin`", staff.ErrNoUsers)
	}
	for _, d := range demoUsers {
		if _, err := svc.NewUser(d.name, d.role, "", d.pin); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", d.name, err)
		}
	}
	return svc, nil
}
