package terminal

import (
	"context"
	"fmt"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// DemoCustomer is a loyalty customer of the demo chain: the README lists their cards, phones and offers.
type DemoCustomer struct {
	ID, Name, Tier, Card, Phone string
	Balance                     int64 // points, kopecks
	// Offers are the customer's personal offers in the customers file's syntax (wire.ParsePersonalOffers).
	Offers string
}

// DemoCustomers are seeded into the embedded hub: a tier each way, a rich one for the offline limit and an
// empty one for "nothing to redeem". Cards are EAN-13 in the demo range 2700000…; the personal offers
// touch the demo catalog's easy codes: bread 100001 (4601234567893), milk 100002 (4601111111119), the
// dairy aisle 1000xx and fruit by weight 2000xx.
var DemoCustomers = []DemoCustomer{
	{ID: "c-1001", Name: "Анна Петрова", Tier: "gold", Card: "2700000000014", Phone: "+79000000001", Balance: 150000,
		Offers: "a-milk -10% product=100002: −10 % на молоко | a-fruit -20 group=2000: −20 ₽ за кг фруктов и овощей | " +
			"a-x2 x2 receipt min=1000: двойные баллы с чека от 1000 ₽"},
	{ID: "c-1002", Name: "Олег Смирнов", Tier: "silver", Card: "2700000000021", Phone: "+79000000002", Balance: 32000,
		Offers: "o-dairy -5% group=1000: −5 % на продукты 1000xx | o-bread -10 product=100001: −10 ₽ на хлеб Дарницкий"},
	{ID: "c-1003", Name: "Мария Кузнецова", Card: "2700000000038", Phone: "+79000000003", Balance: 0},
	{ID: "c-1004", Name: "Иван Дмитриев", Tier: "gold", Card: "2700000000045", Phone: "+79000000004", Balance: 1200000,
		Offers: "i-all -3% receipt min=500: −3 % на чек от 500 ₽"},
	{ID: "c-1005", Name: "Елена Васильева", Tier: "silver", Card: "2700000000052", Phone: "+79000000005", Balance: 5000,
		Offers: "e-x3 x3 group=2000: тройные баллы на фрукты и овощи"},
}

// seedDemoCustomers imports DemoCustomers into an embedded hub whose customers feed is empty, as a CRM
// export would: names masked, phones only as their hash under the demo phone key. A hub that has customers
// (a restart, or points moved since) is left alone.
func seedDemoCustomers(ctx context.Context, st *hub.Storage) error {
	page, err := st.Feed(ctx, wire.FeedCustomers, "", "", 1)
	if err != nil {
		return fmt.Errorf("demo customers: %w", err)
	}
	if len(page.Items) > 0 || len(page.Deleted) > 0 {
		return nil
	}
	key := DemoKeys().Phone
	imports := make([]hub.CustomerImport, len(DemoCustomers))
	for i, c := range DemoCustomers {
		hash, err := wire.PhoneHash(key, c.Phone)
		if err != nil {
			return fmt.Errorf("demo customer %s: %w", c.ID, err)
		}
		offers, err := wire.ParsePersonalOffers(c.Offers)
		if err != nil {
			return fmt.Errorf("demo customer %s: %w", c.ID, err)
		}
		imports[i] = hub.CustomerImport{ID: c.ID, Cards: []string{c.Card}, PhoneHash: hash, Name: hub.MaskName(c.Name),
			Tier: c.Tier, Balance: c.Balance, Offers: offers}
	}
	if _, err := st.ImportCustomers(ctx, imports, false); err != nil {
		return fmt.Errorf("demo customers: %w", err)
	}
	return nil
}
