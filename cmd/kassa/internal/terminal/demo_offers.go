package terminal

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/kassa-pos/kassa/assets"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/catalog"
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// demoNearby are the demo chain's other stores, whose stock the kiosk shows.
var demoNearby = []wire.StoreStock{
	{Store: "demo-mega", Name: "ТЦ «Мега», Тёплый Стан"},
	{Store: "demo-lenina", Name: "ул. Ленина, 12"},
	{Store: "demo-mira", Name: "пр. Мира, 45"},
}

// DemoOfferURL is the demo shop's product page.
const DemoOfferURL = "https://shop.example/p/"

// DemoOffers is the online side of the demo catalog, made the same way on every machine: most products
// are sold online, a sixth of them cheaper, a sixth with an online-only discount on top (until now plus 30
// days), a sixth dearer online than in the store, the rest at the store's price; every fifth product has
// none in this store; stock in two or three nearby stores; related products from the same shelf.
func DemoOffers(products []pos.Product, now time.Time) []wire.Offer {
	until := time.Date(now.Year(), now.Month(), now.Day(), 23, 59, 59, 0, now.Location()).AddDate(0, 0, 30).UTC()
	var out []wire.Offer
	for i, p := range products {
		n, err := strconv.Atoi(p.ID)
		if err != nil {
			n = i
		}
		if p.Weighed() && n%3 != 0 {
			continue // most fresh goods by weight are not sold online
		}
		price := int64(p.Price)
		o := wire.Offer{ProductID: p.ID, OnlinePrice: price, URL: DemoOfferURL + p.ID}
		switch (n + 2) % 6 { // the easy codes of assets: bread at the store's price, milk cheaper online, water dearer
		case 0: // cheaper online
			o.OnlinePrice = shelfPrice(price * 92 / 100)
		case 2: // cheaper online, and an online-only discount on top
			o.OnlinePrice = shelfPrice(price * 95 / 100)
			o.OnlineDiscount = max(price/10/100*100, 500)
			o.ValidUntil = until
		case 3: // dearer online: the store wins
			o.OnlinePrice = shelfPrice(price * 104 / 100)
		case 4: // a deep online price for the week's promotion
			o.OnlinePrice = shelfPrice(price * 85 / 100)
			o.ValidUntil = until
		case 5: // the store's price, with a fixed online-only discount
			o.OnlineDiscount = min(1500, price/4/100*100)
			o.ValidUntil = until
		}
		unit := int64(pos.QtyOne)
		if p.Weighed() {
			unit = 100 // stock in hundreds of grams
		}
		if n%5 != 1 {
			o.StockHere = int64(3+(n*7)%25) * unit
		}
		o.StockOnline = int64(20+(n*13)%280) * unit
		for k, s := range demoNearby[:2+n%2] {
			s.Qty = int64((n*(k+3))%17) * unit
			o.StockNearby = append(o.StockNearby, s)
		}
		for _, d := range []int{-1, 1, 2} {
			if j := i + d; j >= 0 && j < len(products) && products[j].Unit == p.Unit {
				o.Related = append(o.Related, products[j].ID)
			}
		}
		out = append(out, o)
	}
	return out
}

// shelfPrice rounds a price down to the rouble and ends it in 90 kopecks, as shelf tags do.
func shelfPrice(kop int64) int64 {
	if kop < 100 {
		return kop
	}
	return kop/100*100 - 10
}

// seedDemoOffers puts the demo's offers in the hub's offers feed of store, once: a hub with offers keeps
// them across restarts.
func seedDemoOffers(ctx context.Context, st *hub.Storage, store string, now time.Time) error {
	page, err := st.Feed(ctx, wire.FeedOffers, store, "", 1)
	if err != nil {
		return fmt.Errorf("demo offers: %w", err)
	}
	if len(page.Items) > 0 || len(page.Deleted) > 0 {
		return nil
	}
	products, err := catalog.ReadCSV(bytes.NewReader(assets.DemoCatalogCSV))
	if err != nil {
		return fmt.Errorf("demo offers: %w", err)
	}
	if _, err := st.ImportOffers(ctx, store, DemoOffers(products, now), true); err != nil {
		return fmt.Errorf("demo offers: %w", err)
	}
	return nil
}
