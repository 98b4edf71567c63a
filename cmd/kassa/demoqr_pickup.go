package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/sync/wire"
)

// demoQRPickup is `kassa demo-qr pickup --order NUMBER [--out FILE.png]`: the pickup QR code the web shop
// sends the customer of a demo order, signed with the demo key (or a key of --config's [keys]). It prints
// the payload, which can be typed into the pickup desk's scan field, and writes the image with --out.
// --valid -1h makes an expired code, --store another store's, --forge one signed with a key the shop
// never had: the desk refuses each with its own message.
func demoQRPickup(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kassa demo-qr pickup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	order := fs.String("order", "", "the demo order's number")
	out := fs.String("out", "", "write the QR code as a PNG image here")
	store := fs.String("store", terminal.DemoStore, "the store the order is for")
	valid := fs.Duration("valid", 24*time.Hour, "how long the code is valid from now; negative: already expired")
	forge := fs.Bool("forge", false, "sign with a key the shop never had (the desk refuses it)")
	configPath := fs.String("config", "", "take the key ring from this configuration's [keys]")
	kid := fs.String("key-id", "", "the key id to sign with (default: the demo key, or the config's first)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kassa demo-qr pickup --order NUMBER [--out FILE.png] [--valid 24h] [--store NAME] [--forge]")
		fs.PrintDefaults()
		fmt.Fprintln(stderr, "demo orders (number, phone's last 4 digits, what it shows):")
		for _, o := range terminal.DemoPickupOrders {
			fmt.Fprintf(stderr, "  %s  %s  %s\n", o.Number, last4(o.Phone), o.What)
		}
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *order == "" {
		fs.Usage()
		return 2
	}
	id, key, err := qrKey(*configPath, *kid)
	if err != nil {
		fmt.Fprintln(stderr, "kassa demo-qr:", err)
		return 1
	}
	if *forge {
		k := sha256.Sum256([]byte("not the chain's key"))
		key = k[:]
	}
	expires := time.Now().Add(*valid).Truncate(time.Second)
	payload, err := terminal.DemoPickupQR(strings.ToUpper(strings.TrimSpace(*order)), *store, id, key, expires)
	if err != nil {
		fmt.Fprintln(stderr, "kassa demo-qr:", err)
		fs.Usage()
		return 1
	}
	return showQR(payload, *out, expires.Local().Format("02.01 15:04:05"),
		"the pickup desk's field (kassa --demo --mode pickup)", stdout, stderr)
}

// qrKey finds the signing key: kid of the config's ring (its first key without kid), or the demo key.
func qrKey(configPath, kid string) (string, []byte, error) {
	keys := terminal.DemoKeys()
	if configPath != "" {
		cfg, err := loadConfig(configPath)
		if err != nil {
			return "", nil, err
		}
		if keys, err = cfg.Keys.keys(); err != nil {
			return "", nil, err
		}
		if kid == "" && len(cfg.Keys.QR) > 0 {
			kid = cfg.Keys.QR[0].ID
		}
	}
	if kid == "" {
		kid = terminal.DemoKeyID
	}
	key, ok := keys.QRKey(kid)
	if !ok || !wire.ValidKeyID(kid) {
		return "", nil, fmt.Errorf("no QR key %q (ids: %s)", kid, strings.Join(keyIDs(keys), ", "))
	}
	return kid, key, nil
}

func last4(phone string) string {
	p, err := wire.NormalizePhone(phone)
	if err != nil {
		return "????"
	}
	return p[len(p)-4:]
}
