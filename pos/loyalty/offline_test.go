package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/loyalty"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/client"
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// register is a fiscal register that fiscalises everything.
type register struct {
	mu   sync.Mutex
	fd   uint32
	open bool
}

func (r *register) State(context.Context) (pos.RegisterState, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return pos.RegisterState{ShiftOpen: r.open, LastFD: r.fd, FNSerial: "9999078900001234"}, nil
}
func (r *register) FindDocument(context.Context, uint32) (pos.FiscalDocument, error) {
	return pos.FiscalDocument{}, errors.New("no documents")
}
func (r *register) OpenShift(context.Context, string) error {
	r.next()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.open = true
	return nil
}
func (r *register) CloseShift(context.Context) error    { r.next(); return nil }
func (r *register) CancelReceipt(context.Context) error { return nil }
func (r *register) Fiscalise(_ context.Context, s pos.Sale) (pos.FiscalResult, error) {
	return pos.FiscalResult{FDNumber: r.next(), FiscalSign: 1, FNSerial: "9999078900001234", At: s.CreatedAt}, nil
}
func (r *register) next() uint32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fd++
	return r.fd
}

// warnings collects the hub's business conflicts.
type warnings struct {
	mu   sync.Mutex
	list []hub.Warning
}

func (w *warnings) ObserveRequest(string, int, time.Duration) {}
func (w *warnings) ObservePull(string, int, int)              {}
func (w *warnings) ObserveBatch(b hub.BatchReport) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.list = append(w.list, b.Warnings...)
}

// terminal is a till with its own store, pulling from and replaying to the hub at url.
type terminal struct {
	name   string
	store  *store.Store
	till   *checkout.Till
	puller *client.Puller
	rep    *client.Replayer
}

var tv = pos.Product{ID: "tv", Name: "Телевизор", Barcodes: []string{"4600000000206"}, Price: 100000, VAT: pos.VAT22}

func newTerminal(t *testing.T, name, url, token string, rules loyalty.Rules) *terminal {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "kassa.db"), store.Options{Terminal: name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.PutProducts([]pos.Product{tv}); err != nil {
		t.Fatal(err)
	}
	svc, err := loyalty.New(loyalty.Config{Directory: st, NotFound: store.ErrNotFound, Rules: rules}) // never online
	if err != nil {
		t.Fatal(err)
	}
	c := barcode.NewClassifier(barcode.DefaultWeightLayout())
	c.Register(svc.Recognizer())
	n := 0
	till := checkout.New(checkout.Config{Store: st, Register: &register{}, Classifier: c, Terminal: name, Loyalty: svc,
		NewID: func() string { n++; return fmt.Sprintf("%s-sale-%d", name, n) }})
	ctx := context.Background()
	if _, err := till.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if err := till.OpenShift(ctx, "Иванова А."); err != nil {
		t.Fatal(err)
	}
	return &terminal{name: name, store: st, till: till,
		puller: client.NewPuller(client.Feeds{Customers: st.CustomerFeed()}, client.PullConfig{BaseURL: url, Token: token}),
		rep:    client.NewReplayer(st, client.Config{BaseURL: url, Token: token, IdlePoll: 10 * time.Millisecond})}
}

// sell sells the TV to Анна, spending as many points as this till allows; it returns the points spent.
func (tm *terminal) sell(t *testing.T) pos.Money {
	t.Helper()
	if _, err := tm.till.Scan("4600000000206", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := tm.till.IdentifyCustomer("2700000000014"); err != nil {
		t.Fatal(err)
	}
	spent, err := tm.till.RedeemPoints(0)
	if err != nil {
		t.Fatalf("%s: %v", tm.name, err)
	}
	if _, err := tm.till.Pay(context.Background(), []pos.Payment{{Method: pos.PayCash, Amount: tv.Price - spent}}); err != nil {
		t.Fatal(err)
	}
	return spent
}

// replay runs the replayer until the outbox is empty.
func (tm *terminal) replay(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tm.rep.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		st, err := tm.store.OutboxStats()
		if err != nil {
			t.Fatal(err)
		}
		if st.Unsent == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d events still unsent", tm.name, st.Unsent)
		}
	}
}

// Two tills in two stores spend the same customer's points while the hub is out of reach. Each till caps
// what it spends by the balance it pulled minus its own spending, and by the offline limit; both sales
// go through. Back online, the hub's ledger holds every movement once — a replay after a lost answer
// included — and reports the overdraft the two tills together made.
func TestTwoTillsOfflineSpendTheSameBalance(t *testing.T) {
	ctx := context.Background()
	hs, err := hub.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	tokenA, _ := hs.AddTerminal("s1", "till-a")
	tokenB, _ := hs.AddTerminal("s2", "till-b")
	if _, err := hs.ImportCustomers(ctx, []hub.CustomerImport{{ID: "c1", Cards: []string{"2700000000014"},
		Name: "Анна П.", Tier: "gold", Balance: 50000}}, true); err != nil {
		t.Fatal(err)
	}
	warned := &warnings{}
	srv := httptest.NewServer(hub.NewServer(hs, hub.Options{Observer: warned}).Handler())
	defer srv.Close()
	rules := loyalty.Rules{Earn: map[string]loyalty.Percent{"gold": 500}, RedeemShare: loyalty.Whole, OfflineLimit: 40000}
	a := newTerminal(t, "till-a", srv.URL, tokenA, rules)
	b := newTerminal(t, "till-b", srv.URL, tokenB, rules)
	for _, tm := range []*terminal{a, b} { // the customers were pulled before the network went down
		if _, err := tm.puller.PullOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}

	// Offline. Till A: 400,00 (the offline limit), then only the 100,00 its own spending left.
	if got := a.sell(t); got != 40000 {
		t.Errorf("till A, first receipt: %s points, want 400,00", got)
	}
	if got := a.sell(t); got != 10000 {
		t.Errorf("till A, second receipt: %s points, want 100,00 (500,00 − 400,00 not yet sent)", got)
	}
	if _, err := a.till.Scan("4600000000206", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := a.till.IdentifyCustomer("2700000000014"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.till.RedeemPoints(0); !errors.Is(err, loyalty.ErrNothingToRedeem) {
		t.Errorf("till A, third receipt: %v, want nothing left to redeem", err)
	}
	a.till.ClearCart()
	// Till B knows nothing of A: it spends 400,00 of the same 500,00.
	if got := b.sell(t); got != 40000 {
		t.Errorf("till B: %s points, want 400,00", got)
	}

	// Back online. Till A's first attempt reaches the hub but its answer is lost: everything is sent again.
	evs, err := a.store.PeekEvents(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	lost := client.NewReplayer(fixedQueue(evs), client.Config{BaseURL: srv.URL, Token: tokenA})
	lostCtx, cancel := context.WithCancel(ctx)
	go func() { _ = lost.Run(lostCtx) }()
	waitFor(t, func() bool { n, _ := hs.EventCount(); return n >= len(evs) })
	cancel()
	a.replay(t)
	b.replay(t)

	ledger, err := hs.Ledger(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ledger {
		got = append(got, fmt.Sprintf("%s %s %+d =%d overdraft=%v", e.Terminal, e.Kind, e.Points, e.Balance, e.Overdraft))
	}
	want := []string{
		" import +50000 =50000 overdraft=false",
		"till-a loyalty_redemption -40000 =10000 overdraft=false",
		"till-a loyalty_accrual +3000 =13000 overdraft=false", // 5 % of 600,00
		"till-a loyalty_redemption -10000 =3000 overdraft=false",
		"till-a loyalty_accrual +4500 =7500 overdraft=false", // 5 % of 900,00
		"till-b loyalty_redemption -40000 =-32500 overdraft=true",
		"till-b loyalty_accrual +3000 =-29500 overdraft=false",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the hub's ledger:\n%q\nwant\n%q", got, want)
	}
	warned.mu.Lock()
	if len(warned.list) != 1 || warned.list[0].Kind != hub.WarnLoyaltyOverdraft || warned.list[0].EventID != "till-b-sale-1.loyalty_redemption" {
		t.Errorf("warnings %+v, want one overdraft of till B's redemption", warned.list)
	}
	warned.mu.Unlock()

	// The next pull brings the hub's balance; the tills' own spending is settled and not counted twice.
	for _, tm := range []*terminal{a, b} {
		if _, err := tm.puller.PullOnce(ctx); err != nil {
			t.Fatal(err)
		}
		spent, earned, err := tm.store.UnsettledLoyalty("c1")
		c, cerr := tm.store.CustomerByID("c1")
		if err != nil || cerr != nil || spent != 0 || earned != 0 || c.Balance != -29500 {
			t.Errorf("%s after the pull: balance %d, unsettled %s/%s, %v %v", tm.name, c.Balance, spent, earned, err, cerr)
		}
	}
}

// fixedQueue is an outbox that never forgets: the first attempt's answers are lost.
type fixedQueue []wire.Event

func (q fixedQueue) PeekEventsAfter(_ context.Context, after uint64, max int) ([]wire.Event, error) {
	var out []wire.Event
	for _, ev := range q {
		if ev.Seq > after && len(out) < max {
			out = append(out, ev)
		}
	}
	return out, nil
}
func (q fixedQueue) AckEvents(context.Context, []string) error         { return nil }
func (q fixedQueue) RejectEvent(context.Context, string, string) error { return nil }

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the hub did not get the events")
		}
	}
}
