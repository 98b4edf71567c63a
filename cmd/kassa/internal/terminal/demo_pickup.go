package terminal

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/kassa-pos/kassa/assets"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/catalog"
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// DemoPickupOrder is a click&collect order the demo's embedded hub prepares for the demo store.
type DemoPickupOrder struct {
	Number   string
	Customer string
	Phone    string
	Items    []DemoPickupItem
	Prepaid  int64 // kopecks; -1 is the whole order (paid online)
	ReadyAgo time.Duration
	Keep     time.Duration // storage time from ready
	Status   string        // wire.PickupReady unless said
	What     string        // what the order shows in the demo
}

// DemoPickupItem is a line of a demo order: a product of the demo catalog by barcode or article.
type DemoPickupItem struct {
	Code string
	Qty  int64 // thousandths
}

// DemoPickupOrders are the demo's pickup orders: prepaid with marked water, paid at pickup with marked
// shoes, partly prepaid with a weighed line, overdue, collected already, past its storage time, and with
// 18+ goods.
var DemoPickupOrders = []DemoPickupOrder{
	{Number: "W-24001", Customer: "Анна Петрова", Phone: "+7 912 345-67-89", Prepaid: -1, ReadyAgo: 2 * time.Hour,
		Keep: 7 * 24 * time.Hour, What: "paid online; 2 packs of marked water (DataMatrix)",
		Items: []DemoPickupItem{{"4601234567893", 2000}, {"4601111111119", 1000}, {"4690421631110", 2000}}},
	{Number: "W-24002", Customer: "Иван Смирнов", Phone: "+7 903 111-22-33", ReadyAgo: 20 * time.Hour,
		Keep: 7 * 24 * time.Hour, What: "paid at pickup; marked shoes",
		Items: []DemoPickupItem{{"4607035123450", 1000}, {"4665174726000", 2000}}},
	{Number: "W-24003", Customer: "Кузнецова Ольга Ивановна", Phone: "+7 916 555-44-11", Prepaid: 50000,
		ReadyAgo: time.Hour, Keep: 3 * 24 * time.Hour, What: "500 ₽ prepaid, the rest at pickup; bananas by weight",
		Items: []DemoPickupItem{{"4652761138759", 1000}, {"4683004030042", 3000}, {"200001", 1250}}},
	{Number: "W-24004", Customer: "Сергей Волков", Phone: "+7 925 777-88-99", Prepaid: -1, ReadyAgo: 5 * 24 * time.Hour,
		Keep: 7 * 24 * time.Hour, What: "overdue: waiting 5 days",
		Items: []DemoPickupItem{{"4638653519042", 1000}, {"4667512725553", 1000}}},
	{Number: "W-24005", Customer: "Мария Соколова", Phone: "+7 999 123-45-00", Prepaid: -1, ReadyAgo: 48 * time.Hour,
		Keep: 7 * 24 * time.Hour, Status: wire.PickupCollected, What: "collected already: its QR is refused",
		Items: []DemoPickupItem{{"4601111111119", 1000}}},
	{Number: "W-24006", Customer: "Дмитрий Орлов", Phone: "+7 917 246-80-13", Prepaid: -1, ReadyAgo: 9 * 24 * time.Hour,
		Keep: 7 * 24 * time.Hour, What: "past its storage time: found by number only",
		Items: []DemoPickupItem{{"4683317820545", 5000}}},
	{Number: "W-24007", Customer: "Алексей Морозов", Phone: "+7 926 404-18-18", Prepaid: -1, ReadyAgo: 3 * time.Hour,
		Keep: 7 * 24 * time.Hour, What: "paid online; beer (18+): the desk asks for the buyer's document",
		Items: []DemoPickupItem{{"4601234567893", 1000}, {"4676055384882", 2000}}},
}

// seedDemoPickup puts the demo's pickup orders in the hub's feed of store, once: a hub with pickup orders
// of that store keeps them (restarts of the demo, orders handed over).
func seedDemoPickup(ctx context.Context, st *hub.Storage, store string, now time.Time) error {
	page, err := st.Feed(ctx, wire.FeedPickupOrders, store, "", 1)
	if err != nil {
		return fmt.Errorf("demo pickup orders: %w", err)
	}
	if len(page.Items) > 0 {
		return nil
	}
	products, err := catalog.ReadCSV(bytes.NewReader(assets.DemoCatalogCSV))
	if err != nil {
		return fmt.Errorf("demo pickup orders: %w", err)
	}
	byCode := map[string]pos.Product{}
	for _, p := range products {
		byCode[p.ID] = p
		for _, b := range p.Barcodes {
			byCode[b] = p
		}
	}
	keys := DemoKeys()
	for _, d := range DemoPickupOrders {
		o, err := demoPickupOrder(d, store, byCode, now)
		if err != nil {
			return err
		}
		hash, err := wire.PhoneHash(keys.Phone, d.Phone)
		if err != nil {
			return fmt.Errorf("demo pickup order %s: %w", d.Number, err)
		}
		if _, _, err := st.PutPickupOrder(ctx, o, hash); err != nil {
			return fmt.Errorf("demo pickup order %s: %w", d.Number, err)
		}
	}
	return nil
}

func demoPickupOrder(d DemoPickupOrder, store string, byCode map[string]pos.Product, now time.Time) (wire.PickupOrder, error) {
	phone, err := wire.NormalizePhone(d.Phone)
	if err != nil {
		return wire.PickupOrder{}, fmt.Errorf("demo pickup order %s: %w", d.Number, err)
	}
	ready := now.UTC().Truncate(time.Second).Add(-d.ReadyAgo)
	o := wire.PickupOrder{ID: hub.PickupOrderID(store, d.Number), Number: d.Number, Store: store,
		Customer: hub.MaskName(d.Customer), PhoneLast4: phone[len(phone)-4:], Status: d.Status,
		ReadyAt: ready, ExpiresAt: ready.Add(d.Keep)}
	if o.Status == "" {
		o.Status = wire.PickupReady
	}
	for _, it := range d.Items {
		p, ok := byCode[it.Code]
		if !ok {
			return wire.PickupOrder{}, fmt.Errorf("demo pickup order %s: %s is not in the demo catalog", d.Number, it.Code)
		}
		l := wire.PickupLine{ProductID: p.ID, Name: p.Name, Price: int64(p.Price), Qty: it.Qty, VAT: p.VAT.Code(), Marked: p.Marked,
			AgeLimit: p.AgeLimit}
		if len(p.Barcodes) > 0 {
			l.Barcode = p.Barcodes[0]
		}
		o.Lines = append(o.Lines, l)
		o.Total += int64(p.Price.Times(pos.Qty(it.Qty)))
	}
	o.Prepaid = min(d.Prepaid, o.Total)
	if d.Prepaid < 0 {
		o.Prepaid = o.Total
	}
	return o, nil
}

// DemoPickupQR signs the pickup QR of the demo order number for store with key kid, valid until expires:
// what the web shop sends the customer.
func DemoPickupQR(number, store, kid string, key []byte, expires time.Time) (string, error) {
	for _, d := range DemoPickupOrders {
		if d.Number == number {
			return wire.SignPickupQR(wire.PickupQR{Order: hub.PickupOrderID(store, number), Number: number, Store: store,
				Expires: expires}, kid, key)
		}
	}
	return "", fmt.Errorf("no demo pickup order %q", number)
}
