package pickup_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/pickup"
	"github.com/kassa-pos/kassa/sync/wire"
)

var beer = pos.Product{ID: "100156", Name: "Пиво Жигули Барное 0,45 л", Barcodes: []string{"4676055384882"}, Price: 8990,
	VAT: pos.VAT22, AgeLimit: 18}

// withBeerOrder adds order W-9 (two loaves and two beers, prepaid) to the rig; the feed's line says nothing
// of the age, the catalog does.
func withBeerOrder(t *testing.T, r *rig) {
	t.Helper()
	if err := r.st.PutProducts([]pos.Product{beer}); err != nil {
		t.Fatal(err)
	}
	o := order("o9", "W-9", wire.PickupReady, -1, t0.Add(-time.Hour), t0.Add(72*time.Hour),
		line(bread, pos.Pieces(2)), line(beer, pos.Pieces(2)))
	if err := r.st.PickupFeed().Apply(context.Background(), "1", wire.Page[wire.PickupOrder]{Items: []wire.PickupOrder{o}, Next: "2"}); err != nil {
		t.Fatal(err)
	}
}

// An order with 18+ goods is handed over only after the staff answers the age question: "yes" gives
// everything, "no" refuses the 18+ lines and gives the rest, their prepayment going back.
func TestHandOverAgeCheck(t *testing.T) {
	tests := []struct {
		name    string
		answer  func(v *pickup.Verification) error
		total   pos.Money
		refund  pos.Money
		refused int
	}{
		{"yes", func(v *pickup.Verification) error {
			v.ConfirmAge()
			return nil
		}, 2*6290 + 2*8990, 0, 0},
		{"no", func(v *pickup.Verification) error {
			_, err := v.RefuseAgeRestricted("нет документа 18+")
			return err
		}, 2 * 6290, 2 * 8990, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			withBeerOrder(t, r)
			v, err := r.desk.FindByNumber("W-9", "6789")
			if err != nil {
				t.Fatal(err)
			}
			if !v.AgeRestricted() || v.Lines[1].AgeLimit != 18 {
				t.Fatalf("the order's beer line %+v is not 18+", v.Lines[1])
			}
			scanAll(t, v, "4601234567893", "4601234567893", "4676055384882", "4676055384882")
			if _, err := r.desk.HandOver(context.Background(), v, nil); !errors.Is(err, pos.ErrAgeUnchecked) {
				t.Fatalf("hand-over before the age question: %v, want ErrAgeUnchecked", err)
			}
			if err := tt.answer(v); err != nil {
				t.Fatal(err)
			}
			res, err := r.desk.HandOver(context.Background(), v, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Sale.Total != tt.total || (res.Refund == nil) != (tt.refund == 0) ||
				res.Refund != nil && res.Refund.Total != tt.refund {
				t.Errorf("sale %s, refund %+v; want %s and %s back", res.Sale.Total, res.Refund, tt.total, tt.refund)
			}
			if _, _, refused := v.Counts(); refused != tt.refused || tt.refused > 0 && v.Lines[1].Reason != "нет документа 18+" {
				t.Errorf("refused %d pieces, line %+v", refused, v.Lines[1])
			}
		})
	}
}
