package terminal

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/assets"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/catalog"
	"github.com/kassa-pos/kassa/pos/kiosk"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestDemoOffers(t *testing.T) {
	products, err := catalog.ReadCSV(bytes.NewReader(assets.DemoCatalogCSV))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]pos.Product{}
	for _, p := range products {
		ids[p.ID] = p
	}
	offers := DemoOffers(products, basketNow)
	var cheaper, dearer, discount, nearby3 int
	for _, o := range offers {
		p := ids[o.ProductID]
		final := o.OnlinePrice - o.OnlineDiscount
		switch {
		case final <= 0 || o.OnlineDiscount < 0:
			t.Errorf("%s: online %d less %d", p.ID, o.OnlinePrice, o.OnlineDiscount)
		case final < int64(p.Price):
			cheaper++
		case final > int64(p.Price):
			dearer++
		}
		if o.OnlineDiscount > 0 {
			discount++
			if o.ValidUntil.IsZero() {
				t.Errorf("%s: an online-only discount without its end", p.ID)
			}
		}
		if n := len(o.StockNearby); n < 2 || n > 3 {
			t.Errorf("%s: %d nearby stores", p.ID, n)
		} else if n == 3 {
			nearby3++
		}
		for _, r := range o.Related {
			if _, ok := ids[r]; !ok || r == p.ID {
				t.Errorf("%s: related %q is not another demo product", p.ID, r)
			}
		}
	}
	if len(offers) < 300 || cheaper < 150 || dearer < 40 || discount < 100 || nearby3 < 100 {
		t.Errorf("%d offers: %d cheaper online, %d dearer, %d with an online-only discount, %d in 3 other stores",
			len(offers), cheaper, dearer, discount, nearby3)
	}
}

// TestKioskBasketAtTheDemoTill is the phygital loop of the demo: the embedded hub's offers reach the
// terminal, the kiosk shows the milk cheaper online and signs a basket of two, and the till adds them at
// the online price and reports the redemption with the sale.
func TestKioskBasketAtTheDemoTill(t *testing.T) {
	ctx := context.Background()
	term, err := Open(ctx, demoOptions(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	if _, err := term.Puller.PullOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := term.Store.OfferCount(); err != nil || n < 300 {
		t.Fatalf("%d offers pulled: %v", n, err)
	}
	before, _ := term.Hub.Storage.Feed(ctx, wire.FeedOffers, DemoStore, "", 1)
	if err := seedDemoOffers(ctx, term.Hub.Storage, DemoStore, basketNow.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if after, _ := term.Hub.Storage.Feed(ctx, wire.FeedOffers, DemoStore, "", 1); after.Next != before.Next {
		t.Error("seeding again changed the offers")
	}

	k := kiosk.New(kiosk.Config{Catalog: KioskCatalog{Store: term.Store}, Classifier: barcode.NewClassifier(barcode.DefaultWeightLayout()),
		Signer: KioskSigner{Keys: term.Keys, KeyID: DemoKeyID}, Events: term.Store, Store: term.StoreID})
	card, err := k.Scan("4601111111119")
	if err != nil {
		t.Fatal(err)
	}
	if !card.HasOffer || card.Basket >= card.Product.Price || card.Offer.OnlineDiscount == 0 || len(card.Related) == 0 {
		t.Fatalf("the demo milk: %+v", card)
	}
	visit := k.NewSession()
	_ = visit.Add(card)
	_ = visit.Add(card)
	basket, payload, err := visit.QR()
	if err != nil {
		t.Fatal(err)
	}

	if _, err := term.Till.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if err := term.Till.OpenShift(ctx, "Иванова"); err != nil {
		t.Fatal(err)
	}
	res, err := term.Till.Scan(payload, 0)
	if err != nil {
		t.Fatal(err)
	}
	line := term.Till.Cart().Lines()[res.Line]
	if line.Price != card.Product.Price || line.Sum != card.Basket.Times(2000) || res.Basket.Saving != line.Discount {
		t.Errorf("till line %+v, want 2 × %s", line, card.Basket)
	}
	sale, err := term.Till.Pay(ctx, []pos.Payment{{Method: pos.PayCash, Amount: line.Sum}})
	if err != nil {
		t.Fatal(err)
	}
	events, err := term.Store.PeekEvents(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		if e.Type != wire.TypeAnalytics {
			continue
		}
		var a wire.Analytics
		if err := json.Unmarshal(e.Payload, &a); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, a.Kind)
		if a.Kind == wire.AnalyticsBasketRedeemed && (a.Basket != basket.ID || a.Sale != sale.ID || a.Amount != int64(line.Sum) || a.Via != "kiosk") {
			t.Errorf("redeemed %+v", a)
		}
	}
	if !slices.Equal(kinds, []string{wire.AnalyticsKioskView, wire.AnalyticsBasketCreated, wire.AnalyticsBasketRedeemed}) {
		t.Errorf("analytics %v", kinds)
	}
}
