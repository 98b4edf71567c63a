package simulate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/pos"
)

// maxProducts bounds how much of the catalog the receipts are drawn from.
const maxProducts = 5000

// seller makes random receipts the way a cashier does: scans (or a search pick for goods without a
// barcode, with a weight for weighed goods), then cash or card.
type seller struct {
	term     *terminal.Terminal
	rng      *rand.Rand
	products []pos.Product
	cashier  string
	log      *slog.Logger

	shiftSales, faultEvery int // Options.ShiftSales and FaultEvery
	faults, cancelled      int // faults injected; sales a fault left unfiscalised (cancelled in the journal)
}

func newSeller(term *terminal.Terminal, o Options) (*seller, error) {
	all, err := term.Store.ProductsAfter("", maxProducts)
	if err != nil {
		return nil, err
	}
	s := &seller{term: term, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x5eed)), cashier: o.Cashier, log: o.Logger,
		shiftSales: o.ShiftSales, faultEvery: o.FaultEvery}
	for _, p := range all {
		// A marked product needs a real pack's DataMatrix; a free one has no price to sell at.
		if !p.Marked && p.Price > 0 {
			s.products = append(s.products, p)
		}
	}
	if len(s.products) == 0 {
		return nil, errors.New("the catalog has no product a simulated cashier can sell")
	}
	return s, nil
}

// sell makes n receipts, at most rate per second (0: no limit), and returns how many it made.
func (s *seller) sell(ctx context.Context, n int, rate float64) (int, error) {
	start := time.Now()
	for i := range n {
		if rate > 0 {
			due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
			if d := time.Until(due); d > 0 {
				select {
				case <-ctx.Done():
					return i, ctx.Err()
				case <-time.After(d):
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return i, err
		}
		if err := s.retry(ctx, func() error { return s.sellOne(ctx) }); err != nil {
			return i, fmt.Errorf("sale %d of %d: %w", i+1, n, err)
		}
		if s.faultEvery > 0 && (i+1)%s.faultEvery == 0 && i+1 < n {
			if err := s.injectFault(); err != nil {
				return i + 1, err
			}
		}
		if s.shiftSales > 0 && ((i+1)%s.shiftSales == 0 || i+1 == n) {
			if err := s.retry(ctx, func() error { return s.closeShift(ctx) }); err != nil {
				return i + 1, err
			}
		}
	}
	return n, nil
}

func (s *seller) sellOne(ctx context.Context) error {
	if err := s.ensureShift(ctx); err != nil {
		return err
	}
	sale, err := s.one(ctx)
	if err != nil {
		return err
	}
	s.log.Debug("sale", "id", sale.ID, "total", sale.Total.Plain(), "lines", len(sale.Lines))
	return nil
}

// retry runs f again while injected faults make it fail, settling first a sale they left pending, the way
// a cashier tries again once the register is back; without faults an error ends the run at once.
func (s *seller) retry(ctx context.Context, f func() error) error {
	err := f()
	for try := 1; err != nil && s.faultEvery > 0; try++ {
		if errors.Is(err, pos.ErrNotFiscalised) {
			s.cancelled++ // the register proved it has no such receipt: the journal cancelled it
			return nil
		}
		if try > 50 || ctx.Err() != nil {
			return err
		}
		s.log.Debug("register fault; trying again", "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		var done pos.Sale
		if done, err = s.term.Till.ResolvePending(ctx); err == nil && done.ID == "" {
			err = f() // nothing was pending: the failure came before the sale was journalled
		}
	}
	return err
}

// ensureShift opens a shift, closing first one older than 24 hours (a data folder reused days later).
func (s *seller) ensureShift(ctx context.Context) error {
	till := s.term.Till
	if _, open := till.Shift(); open && till.ShiftExpired() {
		if err := till.CloseShift(ctx); err != nil {
			return fmt.Errorf("close the expired shift: %w", err)
		}
	}
	if _, open := till.Shift(); !open {
		if err := till.OpenShift(ctx, s.cashier); err != nil {
			return fmt.Errorf("open the shift: %w", err)
		}
	}
	return nil
}

// one builds a receipt of one to five lines and pays it.
func (s *seller) one(ctx context.Context) (pos.Sale, error) {
	till := s.term.Till
	till.ClearCart()
	for range 1 + s.rng.IntN(5) {
		p := s.products[s.rng.IntN(len(s.products))]
		add := func() error {
			var err error
			switch {
			case p.Weighed():
				_, err = till.Add(p, pos.Qty(200+s.rng.IntN(1300)), "")
			case len(p.Barcodes) > 0:
				_, err = till.Scan(p.Barcodes[s.rng.IntN(len(p.Barcodes))], 0)
			default:
				_, err = till.Add(p, 0, "")
			}
			return err
		}
		err := add()
		if age := (*pos.AgeCheckNeeded)(nil); errors.As(err, &age) {
			till.ConfirmAge() // the simulated buyer is of age and shows a passport
			err = add()
		}
		if err != nil {
			return pos.Sale{}, fmt.Errorf("add %s: %w", p.ID, err)
		}
	}
	total := till.Cart().Totals().Total
	pay := []pos.Payment{{Method: pos.PayCard, Amount: total, Approval: fmt.Sprintf("SIM%06d", s.rng.IntN(1000000))}}
	if s.rng.IntN(10) < 4 {
		const note = 100_00 // cash is handed over in hundreds of roubles; the rest is change
		pay = []pos.Payment{{Method: pos.PayCash, Amount: (total + note - 1) / note * note}}
	}
	sale, err := till.Pay(ctx, pay)
	if errors.Is(err, pos.ErrOutcomeUnknown) && !errors.Is(err, pos.ErrNotFiscalised) {
		// The register's answer was lost: settle the sale the way recovery does before going on (unless
		// Pay already settled it: then nothing is pending and its error stands).
		if done, rerr := till.ResolvePending(ctx); rerr != nil || done.ID != "" {
			return done, rerr
		}
	}
	return sale, err
}
