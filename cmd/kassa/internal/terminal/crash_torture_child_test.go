package terminal

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
)

// The torture child (TestTorture's till) is told where its hub is and how to draw its random day.
const (
	envTortureChild = "KASSA_TORTURE_CHILD" // "1" in the child; absent in a normal test run
	envTortureHub   = "KASSA_TORTURE_HUB"
	envTortureSeed  = "KASSA_TORTURE_SEED"
)

// tortureSale is a journal entry as the parent checks it.
type tortureSale struct {
	ID       string `json:"id"`
	Kind     string `json:"kind,omitempty"`
	Status   string `json:"status"`
	Total    int64  `json:"total"`
	FD       uint32 `json:"fd,omitempty"`
	FP       uint32 `json:"fp,omitempty"`
	FN       string `json:"fn,omitempty"`
	RefundOf string `json:"refund_of,omitempty"`
}

// tortureReport is the CHECK line: the till's state after recovery and a complete replay.
type tortureReport struct {
	Recovery  checkout.Recovery `json:"recovery"`
	Sales     []tortureSale     `json:"sales"`
	Unsent    int               `json:"unsent"`
	Dead      int               `json:"dead"`
	ShiftOpen bool              `json:"shift_open"`
}

// TestTortureChild is the till process of TestTorture; without its environment it does nothing. It
// recovers, replays until the hub has everything, prints CHECK and waits for the parent: "go" starts a
// random trading day (sales, refunds, shift closes, with the replayer running) that only SIGKILL ends,
// "stop" exits.
func TestTortureChild(t *testing.T) {
	if os.Getenv(envTortureChild) == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	seed, _ := strconv.ParseUint(os.Getenv(envTortureSeed), 10, 64)
	rng := rand.New(rand.NewPCG(seed, seed^0x7047))
	data := os.Getenv(envChildData)
	term, err := Open(ctx, Options{
		Terminal: "till-1", Data: data, KKTPort: os.Getenv(envChildPort), HubURL: os.Getenv(envTortureHub),
		TokenFile: filepath.Join(data, "token"), Layout: barcode.DefaultWeightLayout(),
		SyncIdlePoll: 20 * time.Millisecond, SyncBatch: 1 + rng.IntN(8), PullInterval: time.Hour,
	})
	if err != nil {
		t.Fatalf("open terminal: %v", err)
	}
	defer term.Close()
	go func() { _ = term.RunSync(ctx) }()
	if n, err := term.Store.ProductCount(); err != nil || n == 0 {
		if err := term.Store.PutProducts(crashProducts); err != nil {
			t.Fatal(err)
		}
	}
	var rep tortureReport
	if rep.Recovery, err = term.Till.Recover(ctx); err != nil {
		t.Fatalf("recover: %v", err)
	}
	fmt.Println("RECOVERED")
	term.Replayer.SyncNow()
	if err := tortureDrain(ctx, term); err != nil {
		t.Fatal(err)
	}
	if err := tortureState(term, &rep); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("CHECK %s\n", b)
	in := bufio.NewScanner(os.Stdin)
	if !in.Scan() || in.Text() != "go" {
		return
	}
	for op := 0; ; op++ {
		if err := tortureOp(ctx, term, rng); err != nil {
			t.Fatalf("operation %d: %v", op, err)
		}
	}
}

// tortureDrain waits until the hub has acknowledged every event.
func tortureDrain(ctx context.Context, term *Terminal) error {
	for {
		st, err := term.Store.OutboxStats()
		if err != nil {
			return err
		}
		if st.DeadLetters > 0 {
			return fmt.Errorf("%d dead letters", st.DeadLetters)
		}
		if st.Unsent == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d events unsent: %w", st.Unsent, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func tortureState(term *Terminal, rep *tortureReport) error {
	sales, err := term.Store.RecentSales(1 << 30)
	if err != nil {
		return err
	}
	for _, s := range sales {
		ts := tortureSale{ID: s.ID, Kind: string(s.Kind), Status: string(s.Status), Total: int64(s.Total),
			RefundOf: s.RefundOf}
		if s.Fiscal != nil {
			ts.FD, ts.FP, ts.FN = s.Fiscal.FDNumber, s.Fiscal.FiscalSign, s.Fiscal.FNSerial
		}
		rep.Sales = append(rep.Sales, ts)
	}
	st, err := term.Store.OutboxStats()
	if err != nil {
		return err
	}
	rep.Unsent, rep.Dead = st.Unsent, st.DeadLetters
	_, rep.ShiftOpen = term.Till.Shift()
	return nil
}

// tortureOp is one thing a cashier does: mostly sales, some returns of earlier receipts, a shift close now
// and then (the next operation opens a new shift).
func tortureOp(ctx context.Context, term *Terminal, rng *rand.Rand) error {
	till := term.Till
	if _, open := till.Shift(); !open {
		if err := till.OpenShift(ctx, crashCashier); err != nil {
			return fmt.Errorf("open shift: %w", err)
		}
	}
	switch r := rng.IntN(100); {
	case r < 72:
		return tortureSell(ctx, till, rng)
	case r < 90:
		return tortureRefund(ctx, term, rng)
	case r < 95:
		if err := till.CloseShift(ctx); err != nil {
			return fmt.Errorf("close shift: %w", err)
		}
	default:
		time.Sleep(time.Duration(rng.IntN(20)) * time.Millisecond) // the replayer has the till to itself
	}
	return nil
}

func tortureSell(ctx context.Context, till *checkout.Till, rng *rand.Rand) error {
	till.ClearCart()
	for range 1 + rng.IntN(3) {
		if _, err := till.Scan(crashScans[rng.IntN(len(crashScans))], 0); err != nil {
			return fmt.Errorf("scan: %w", err)
		}
	}
	total := till.Cart().Totals().Total
	pay := []pos.Payment{{Method: pos.PayCard, Amount: total, Approval: "T" + strconv.Itoa(rng.IntN(1e6))}}
	if rng.IntN(2) == 0 {
		pay = []pos.Payment{{Method: pos.PayCash, Amount: (total + 100_00 - 1) / 100_00 * 100_00}}
	}
	_, err := till.Pay(ctx, pay)
	if errors.Is(err, pos.ErrOutcomeUnknown) {
		_, err = till.ResolvePending(ctx)
	}
	if err != nil {
		return fmt.Errorf("pay: %w", err)
	}
	return nil
}

// tortureRefund returns all or one piece of a recent receipt, by its QR code, the way it was paid.
func tortureRefund(ctx context.Context, term *Terminal, rng *rand.Rand) error {
	recent, err := term.Store.RecentSales(20)
	if err != nil {
		return err
	}
	var sales []pos.Sale
	for _, s := range recent {
		if s.Kind == pos.KindSale && s.Status == pos.SaleFiscalised && s.Fiscal != nil {
			sales = append(sales, s)
		}
	}
	if len(sales) == 0 {
		return nil
	}
	orig := sales[rng.IntN(len(sales))]
	r, err := term.Till.StartRefund(orig.Fiscal.QR(orig.Total))
	if errors.Is(err, pos.ErrAlreadyRefunded) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("start refund of %s: %w", orig.ID, err)
	}
	whole := rng.IntN(2) == 0
	for i, l := range r.Lines {
		q := l.Left()
		if !whole && q > 1000 {
			q = 1000
		}
		if err := r.SetQty(i, q); err != nil {
			return fmt.Errorf("refund qty: %w", err)
		}
	}
	if r.Total() == 0 {
		return nil
	}
	method := orig.Payments[0].Method
	_, err = term.Till.Refund(ctx, r, []pos.Payment{{Method: method, Amount: r.Total()}})
	if errors.Is(err, pos.ErrOutcomeUnknown) {
		_, err = term.Till.ResolvePending(ctx)
	}
	if err != nil {
		return fmt.Errorf("refund %s: %w", orig.ID, err)
	}
	return nil
}
