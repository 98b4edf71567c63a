package checkout

import (
	"context"
	"errors"
	"testing"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

var (
	beer       = pos.Product{ID: "2001", Name: "Пиво Жигули 0,45 л", Barcodes: []string{"4676055384882"}, Price: 8990, VAT: pos.VAT22, AgeLimit: 18}
	cigarettes = pos.Product{ID: "2002", Name: "Сигареты Winston Blue", Barcodes: []string{"4671848078269"}, Price: 21900,
		VAT: pos.VAT22, Marked: true, AgeLimit: 18}
	winstonKM = "010467184807826921-Ab1Cd2\x1d800502190093Demo"
)

func newAgeRig(t *testing.T) basketRig {
	r := newBasketRig(t)
	r.store.products = append(r.store.products, beer, cigarettes)
	return r
}

// The first 18+ product of a receipt waits for the cashier's "yes"; then the receipt's other 18+ products
// go on without asking, until the receipt ends.
func TestAgeCheckOncePerReceipt(t *testing.T) {
	r := newAgeRig(t)
	ctx := context.Background()
	steps := []struct {
		name    string
		do      func() (int, error)
		confirm bool
		want    error
		lines   int
	}{
		{"bread needs no check", func() (int, error) { res, err := r.till.Scan("4601234567893", 0); return res.Line, err }, false, nil, 1},
		{"beer asks", func() (int, error) { res, err := r.till.Scan("4676055384882", 0); return res.Line, err }, false, pos.ErrAgeUnchecked, 1},
		{"beer from search asks too", func() (int, error) { return r.till.Add(beer, 0, "") }, false, pos.ErrAgeUnchecked, 1},
		{"a marking code asks too", func() (int, error) { res, err := r.till.Scan(winstonKM, 0); return res.Line, err }, false, pos.ErrAgeUnchecked, 1},
		{"yes: beer added", func() (int, error) { res, err := r.till.Scan("4676055384882", 0); return res.Line, err }, true, nil, 2},
		{"cigarettes then need only their code", func() (int, error) { return r.till.Add(cigarettes, 0, "") }, false, pos.ErrNeedsMarking, 2},
		{"the code adds them", func() (int, error) { res, err := r.till.ScanMarking(cigarettes, winstonKM); return res.Line, err }, false, nil, 3},
	}
	for _, st := range steps {
		if st.confirm {
			r.till.ConfirmAge()
		}
		_, err := st.do()
		if !errors.Is(err, st.want) || (st.want == nil) != (err == nil) {
			t.Fatalf("%s: %v, want %v", st.name, err, st.want)
		}
		var need *pos.AgeCheckNeeded
		if errors.Is(err, pos.ErrAgeUnchecked) && (!errors.As(err, &need) || need.Product.AgeLimit != 18 || need.Basket) {
			t.Errorf("%s: %v does not name the product", st.name, err)
		}
		if n := len(r.till.Cart().Lines()); n != st.lines {
			t.Fatalf("%s: %d lines, want %d", st.name, n, st.lines)
		}
	}
	if _, err := r.till.Pay(ctx, cash(100000)); err != nil {
		t.Fatal(err)
	}
	if r.till.AgeConfirmed() {
		t.Error("the confirmation outlived its receipt")
	}
	if _, err := r.till.Scan("4676055384882", 0); !errors.Is(err, pos.ErrAgeUnchecked) {
		t.Errorf("the next receipt's beer: %v, want ErrAgeUnchecked", err)
	}
}

// A deferred receipt takes its confirmation with it; the recalled one asks again.
func TestAgeCheckEndsWithDeferral(t *testing.T) {
	r := newAgeRig(t)
	r.till.ConfirmAge()
	if _, err := r.till.Scan("4676055384882", 0); err != nil {
		t.Fatal(err)
	}
	d, err := r.till.Defer()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.till.Recall(d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.till.Scan("4676055384882", 0); !errors.Is(err, pos.ErrAgeUnchecked) {
		t.Errorf("after recall: %v, want ErrAgeUnchecked", err)
	}
}

// A basket QR with beer asks before anything is added; "yes" adds it whole, "no" adds it without the beer.
func TestAgeCheckBasket(t *testing.T) {
	b := kioskBasket
	b.Items = append([]wire.BasketItem{{ProductID: beer.ID, Qty: 2000, Price: 7990}}, kioskBasket.Items...)
	tests := []struct {
		name      string
		scan      func(r basketRig, payload string) (ScanResult, error)
		confirm   bool
		lines     int
		skipped   int
		wantFirst error
	}{
		{"yes", func(r basketRig, p string) (ScanResult, error) { return r.till.Scan(p, 0) }, true, 3, 0, pos.ErrAgeUnchecked},
		{"no", func(r basketRig, p string) (ScanResult, error) { return r.till.ScanDecliningAge(p) }, false, 2, 1, pos.ErrAgeUnchecked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newAgeRig(t)
			payload := sign(t, b, basketKey)
			_, err := r.till.Scan(payload, 0)
			var need *pos.AgeCheckNeeded
			if !errors.As(err, &need) || !need.Basket || need.Product.ID != beer.ID {
				t.Fatalf("first scan: %v, want an age check of the basket's beer", err)
			}
			if n := len(r.till.Cart().Lines()); n != 0 {
				t.Fatalf("%d lines added before the answer", n)
			}
			if tt.confirm {
				r.till.ConfirmAge()
			}
			res, err := tt.scan(r, payload)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(r.till.Cart().Lines()); n != tt.lines || len(res.Basket.Skipped) != tt.skipped {
				t.Fatalf("%d lines, skipped %+v", n, res.Basket.Skipped)
			}
			if tt.skipped > 0 && !errors.Is(res.Basket.Skipped[0].Reason, pos.ErrAgeRefused) {
				t.Errorf("skipped for %v, want ErrAgeRefused", res.Basket.Skipped[0].Reason)
			}
			if r.till.AgeConfirmed() != tt.confirm {
				t.Errorf("AgeConfirmed = %v", r.till.AgeConfirmed())
			}
		})
	}
}
