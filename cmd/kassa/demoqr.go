package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/sync/wire"
)

// demoQRMain is `kassa demo-qr loyalty --customer ID [--out FILE.png]`: what the store's app would show,
// a rotating loyalty QR code signed with the chain's key (the demo key, or [keys] of --config), valid for
// wire.LoyaltyQRLifetime. It prints the payload, which can also be typed into the till's scan field, and
// writes the QR image when --out is given.
func demoQRMain(args []string, stdout, stderr io.Writer) int {
	usage := func() {
		fmt.Fprintln(stderr, "usage: kassa demo-qr loyalty --customer ID [--out FILE.png] [--config kassa.toml] [--key-id ID]")
		fmt.Fprintln(stderr, "       kassa demo-qr pickup --order NUMBER [--out FILE.png] (kassa demo-qr pickup -h for more)")
		fmt.Fprintln(stderr, "       kassa demo-qr basket [--items CODE[:PIECES],…] [--out FILE.png] (kassa demo-qr basket -h for more)")
		fmt.Fprintln(stderr, "demo customers:")
		for _, c := range terminal.DemoCustomers {
			fmt.Fprintf(stderr, "  %s  card %s  phone %s  %s\n", c.ID, c.Card, c.Phone, c.Name)
		}
	}
	if len(args) > 0 && args[0] == "pickup" {
		return demoQRPickup(args[1:], stdout, stderr) // demoqr_pickup.go
	}
	if len(args) > 0 && args[0] == "basket" {
		return demoQRBasket(args[1:], stdout, stderr) // demoqr_basket.go
	}
	if len(args) == 0 || args[0] != "loyalty" {
		usage()
		return 2
	}
	fs := flag.NewFlagSet("kassa demo-qr loyalty", flag.ContinueOnError)
	fs.SetOutput(stderr)
	customer := fs.String("customer", "", "the customer's id (c-1001 … c-1005 in the demo)")
	out := fs.String("out", "", "write the QR code as a PNG image here")
	configPath := fs.String("config", "", "take the key ring from this configuration's [keys]")
	kid := fs.String("key-id", "", "the key id to sign with (default: the demo key, or the config's first)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *customer == "" {
		usage()
		return 2
	}
	payload, expires, err := signLoyaltyQR(*customer, *configPath, *kid, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "kassa demo-qr:", err)
		return 1
	}
	return showQR(payload, *out, expires.Local().Format("15:04:05"), "the till's scan field or its F9 dialog",
		stdout, stderr)
}

// showQR writes the code as a PNG image to out when it is set, prints the payload on stdout and, on stderr,
// until when it is valid and where to scan it. It returns the command's exit code.
func showQR(payload, out, validUntil, where string, stdout, stderr io.Writer) int {
	if out != "" {
		if err := qrcode.WriteFile(payload, qrcode.Medium, 512, out); err != nil {
			fmt.Fprintln(stderr, "kassa demo-qr:", err)
			return 1
		}
	}
	fmt.Fprintln(stdout, payload)
	fmt.Fprintf(stderr, "valid until %s; scan it (or type it) into %s\n", validUntil, where)
	return 0
}

// signLoyaltyQR signs a code for customer with the key kid of the config's ring, or the demo key.
func signLoyaltyQR(customer, configPath, kid string, now time.Time) (string, time.Time, error) {
	keys := terminal.DemoKeys()
	if configPath != "" {
		cfg, err := loadConfig(configPath)
		if err != nil {
			return "", time.Time{}, err
		}
		if keys, err = cfg.Keys.keys(); err != nil {
			return "", time.Time{}, err
		}
		if kid == "" && len(cfg.Keys.QR) > 0 {
			kid = cfg.Keys.QR[0].ID
		}
	}
	if kid == "" {
		kid = terminal.DemoKeyID
	}
	key, ok := keys.QRKey(kid)
	if !ok {
		return "", time.Time{}, fmt.Errorf("no QR key %q (ids: %s)", kid, strings.Join(keyIDs(keys), ", "))
	}
	if strings.TrimSpace(customer) == "" {
		return "", time.Time{}, errors.New("a customer id is required")
	}
	issued := now.Truncate(time.Second)
	q := wire.LoyaltyQR{Customer: customer, Issued: issued, Expires: issued.Add(wire.LoyaltyQRLifetime)}
	s, err := wire.SignLoyaltyQR(q, kid, key)
	return s, q.Expires, err
}

func keyIDs(k terminal.Keys) []string {
	ids := make([]string, 0, len(k.QR))
	for id := range k.QR {
		ids = append(ids, id)
	}
	return ids
}
