package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/kassa-pos/kassa/assets"
	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/catalog"
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// demoQRBasket is `kassa demo-qr basket [--items CODE[:QTY],…] [--source app|web] [--out FILE.png]`: the
// basket QR code the web shop or the app would get from the hub's POST /v1/admin/baskets, priced from the
// demo catalog and its offers the same way and signed with the demo key (or a key of --config's [keys]).
// It prints the payload, which can be typed into the till's scan field. --valid -1h makes an expired
// basket, --store another store's, --forge one signed with a key the chain never had.
func demoQRBasket(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kassa demo-qr basket", flag.ContinueOnError)
	fs.SetOutput(stderr)
	items := fs.String("items", "4601111111119:2,4601234567893,4602222222220", "products by barcode or article, each with :pieces")
	source := fs.String("source", wire.BasketFromApp, "where the basket was built: app or web")
	out := fs.String("out", "", "write the QR code as a PNG image here")
	store := fs.String("store", terminal.DemoStore, "the store the basket is for")
	valid := fs.Duration("valid", hub.DefaultBasketTTL, "how long the basket holds from now; negative: already expired")
	forge := fs.Bool("forge", false, "sign with a key the chain never had (the till refuses it)")
	configPath := fs.String("config", "", "take the key ring from this configuration's [keys]")
	kid := fs.String("key-id", "", "the key id to sign with (default: the demo key, or the config's first)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	req := wire.BasketRequest{Store: *store, Source: *source}
	for _, it := range strings.Split(*items, ",") {
		code, n, _ := strings.Cut(strings.TrimSpace(it), ":")
		pieces := int64(1)
		if n != "" {
			v, err := strconv.ParseInt(n, 10, 64)
			if err != nil || v <= 0 {
				fmt.Fprintf(stderr, "kassa demo-qr: %q: want CODE:PIECES\n", it)
				return 2
			}
			pieces = v
		}
		req.Items = append(req.Items, wire.BasketRequestItem{ProductID: code, Qty: pieces * int64(pos.QtyOne)})
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
	st, err := newDemoBasketStore(time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "kassa demo-qr:", err)
		return 1
	}
	// Priced now, held for --valid: an expired basket is one made a day ago.
	made := time.Now().Add(*valid - hub.DefaultBasketTTL)
	b, prices, err := hub.BuildBasket(context.Background(), st, req, made)
	if err != nil {
		fmt.Fprintln(stderr, "kassa demo-qr:", err)
		return 1
	}
	payload, err := wire.SignBasketQR(b, id, key)
	if err != nil {
		fmt.Fprintln(stderr, "kassa demo-qr:", err)
		return 1
	}
	if *out != "" {
		if err := qrcode.WriteFile(payload, qrcode.Medium, 768, *out); err != nil {
			fmt.Fprintln(stderr, "kassa demo-qr:", err)
			return 1
		}
	}
	fmt.Fprintln(stdout, payload)
	for _, p := range prices {
		fmt.Fprintf(stderr, "  %-48s %3d × %10s  (store %s)\n", p.Name, p.Qty/int64(pos.QtyOne), pos.Money(p.Price), pos.Money(p.StorePrice))
	}
	fmt.Fprintf(stderr, "basket %s for %s, %s ₽, until %s; scan it (or type it) into the till's scan field\n",
		b.ID, b.Store, pos.Money(b.Total()), b.Expires.Local().Format("02.01 15:04:05"))
	return 0
}

// demoBasketStore is the demo catalog and its offers as the hub would price a basket from them.
type demoBasketStore struct {
	products map[string]wire.Product // by id and by barcode
	offers   map[string]wire.Offer
}

func newDemoBasketStore(now time.Time) (demoBasketStore, error) {
	products, err := catalog.ReadCSV(bytes.NewReader(assets.DemoCatalogCSV))
	if err != nil {
		return demoBasketStore{}, err
	}
	st := demoBasketStore{products: map[string]wire.Product{}, offers: map[string]wire.Offer{}}
	for _, p := range products {
		unit := "pcs"
		if p.Weighed() {
			unit = "kg"
		}
		w := wire.Product{ID: p.ID, Name: p.Name, Barcodes: p.Barcodes, PLU: p.PLU, Price: int64(p.Price),
			VAT: p.VAT.Code(), Unit: unit, Marked: p.Marked, AgeLimit: p.AgeLimit}
		st.products[p.ID] = w
		for _, b := range p.Barcodes {
			st.products[b] = w
		}
	}
	for _, o := range terminal.DemoOffers(products, now) {
		st.offers[o.ProductID] = o
	}
	return st, nil
}

func (s demoBasketStore) FindProduct(_ context.Context, store, code string) (wire.Product, error) {
	p, ok := s.products[code]
	if !ok {
		return wire.Product{}, fmt.Errorf("product %q of store %q: %w", code, store, hub.ErrNotFound)
	}
	return p, nil
}

func (s demoBasketStore) FindOffer(_ context.Context, _, productID string) (wire.Offer, bool, error) {
	o, ok := s.offers[productID]
	return o, ok, nil
}
