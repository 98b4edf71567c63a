package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// items collects repeated --item BARCODE:QTY flags.
type items []wire.PickupItem

func (it *items) String() string { return fmt.Sprint(len(*it), " items") }

// Set reads BARCODE:QTY, QTY in pieces or kilograms ("2", "0.75"); the hub also finds a product by its id.
func (it *items) Set(v string) error {
	code, qty, ok := strings.Cut(v, ":")
	if !ok || code == "" {
		return fmt.Errorf("want BARCODE:QTY, not %q", v)
	}
	whole, frac, _ := strings.Cut(strings.Replace(qty, ",", ".", 1), ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1_000_000 || len(frac) > 3 || strings.Trim(frac, "0123456789") != "" {
		return fmt.Errorf("quantity %q: want pieces or kilograms like 2 or 0.75", qty)
	}
	thousandths, _ := strconv.ParseInt((frac + "000")[:3], 10, 64)
	*it = append(*it, wire.PickupItem{Barcode: code, Qty: w*1000 + thousandths})
	return nil
}

// pickupCreate makes a click&collect order for a store from its catalog and prints the order id.
func pickupCreate(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fl, com := newFlags("pickup create", stderr)
	store := fl.String("store", "", "store that hands the order out (required)")
	number := fl.String("number", "", "the shop's order number, e.g. W-10234 (required)")
	phone := fl.String("phone", "", "customer's phone, +7… (required)")
	name := fl.String("name", "", "customer's name (stored masked)")
	prepaid := fl.Bool("prepaid", false, "paid online in full")
	var lines items
	fl.Var(&lines, "item", "BARCODE:QTY, repeated for each line (QTY in pieces or kg)")
	if err := parse(fl, args); err != nil {
		return err
	}
	if *store == "" || *number == "" || *phone == "" || len(lines) == 0 {
		return fmt.Errorf("%w: pickup create needs --store, --number, --phone and at least one --item", errUsage)
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
	req := wire.PickupRequest{Store: *store, Number: *number, Phone: *phone, Customer: *name, Items: lines}
	opt := cfg.pickupOptions()
	o, hash, err := hub.BuildPickupOrder(ctx, st, req, opt, time.Now())
	if err != nil {
		return err
	}
	if *prepaid {
		o.Prepaid = o.Total
	}
	stored, created, err := st.PutPickupOrder(ctx, o, hash)
	if err != nil {
		return err
	}
	if !created {
		fmt.Fprintf(stderr, "kassahub: order %s of %s already exists\n", o.Number, o.Store)
	}
	w := tabwriter.NewWriter(stderr, 0, 4, 2, ' ', 0)
	for _, l := range stored.Lines {
		fmt.Fprintf(w, "  %s\t%s\t%d\t%d\n", l.Barcode, l.Name, l.Qty, l.Price)
	}
	fmt.Fprintf(w, "  total %d, prepaid %d, expires %s\n", stored.Total, stored.Prepaid, stored.ExpiresAt.Format(time.RFC3339))
	w.Flush()
	_, err = fmt.Fprintln(stdout, stored.ID)
	return err
}

// pickupQR renders an order's signed QR payload as a PNG and prints the payload.
func pickupQR(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fl, com := newFlags("pickup qr", stderr)
	id := fl.String("order", "", "order id, as pickup create printed it (required)")
	out := fl.String("out", "", "PNG file to write (required)")
	size := fl.Int("size", 512, "image width and height in pixels")
	if err := parse(fl, args); err != nil {
		return err
	}
	if *id == "" || *out == "" || *size < 64 || *size > 4096 {
		return fmt.Errorf("%w: pickup qr needs --order and --out (and --size 64..4096)", errUsage)
	}
	cfg, err := com.load()
	if err != nil {
		return err
	}
	opt := cfg.pickupOptions()
	if opt.KeyID == "" {
		return fmt.Errorf("pickup qr needs [[pickup.keys]] in the --config file to sign the code")
	}
	st, err := openData(cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	o, err := st.PickupOrder(ctx, *id)
	if err != nil {
		return err
	}
	payload, err := hub.PickupQR(o, opt)
	if err != nil {
		return err
	}
	if err := qrcode.WriteFile(payload, qrcode.Medium, *size, *out); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	_, err = fmt.Fprintln(stdout, payload)
	return err
}

// loyaltyLedger lists point movements: imports setting a balance, accruals and redemptions from the tills.
func loyaltyLedger(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl, com := newFlags("loyalty ledger", stderr)
	customer := fl.String("customer", "", "only this customer id")
	format := fl.String("format", "text", "text (a table) or json (one entry per line)")
	if err := parse(fl, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("%w: --format must be text or json", errUsage)
	}
	st, err := com.open()
	if err != nil {
		return err
	}
	defer st.Close()
	entries, err := st.Ledger(ctx, *customer)
	if err != nil {
		return err
	}
	if *format == "json" {
		return jsonLines("", entries)(stdout)
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "AT\tCUSTOMER\tKIND\tPOINTS\tBALANCE\tSALE\tTERMINAL\tEVENT")
	for _, e := range entries {
		bal := strconv.FormatInt(e.Balance, 10)
		if e.Overdraft {
			bal += " (overdraft)"
		}
		term := "-"
		if e.Terminal != "" {
			term = e.Store + "/" + e.Terminal
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%+d\t%s\t%s\t%s\t%s\n", e.At.Format(time.RFC3339), e.Customer, e.Kind, e.Points,
			bal, dash(e.Sale), term, dash(e.EventID))
	}
	return w.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
