package ui

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/loyalty"
	"github.com/kassa-pos/kassa/pos/store"
	"github.com/kassa-pos/kassa/sync/wire"
)

var (
	loyaltyAppKey   = []byte("0123456789abcdef0123456789abcdef")
	loyaltyPhoneKey = []byte("fedcba9876543210fedcba9876543210")
	ctrlF9          = &desktop.CustomShortcut{KeyName: fyne.KeyF9, Modifier: fyne.KeyModifierControl}
)

type loyaltyRig struct {
	*uiRig
	online bool
}

// newLoyaltyRig is the till of newUIRig with the loyalty programme (default rules) on the real store,
// which holds the customers pulled from the hub (none when pulled is false).
func newLoyaltyRig(t *testing.T, pulled bool) *loyaltyRig {
	t.Helper()
	st := testStore(t, "till-1", products)
	if pulled {
		hash, _ := wire.PhoneHash(loyaltyPhoneKey, "+79000000001")
		page := wire.Page[wire.Customer]{Next: "2", Items: []wire.Customer{
			{ID: "c1", Cards: []string{"2700000000014"}, PhoneHash: hash, Name: "Анна П.", Tier: "gold", Balance: 100000,
				Offers: []string{"−15 % на кофе до 30.11"}},
			{ID: "c2", Cards: []string{"2700000000021"}, Name: "Олег С.", Balance: 5000, PersonalOffers: olegOffers},
		}}
		if err := st.CustomerFeed().Apply(context.Background(), "", page); err != nil {
			t.Fatal(err)
		}
	}
	ctx, dev, host, reg := testRegister(t, emulator.Config{})
	r := &loyaltyRig{online: true}
	svc, err := loyalty.New(loyalty.Config{Directory: st, NotFound: store.ErrNotFound, Rules: loyalty.DefaultRules(),
		QRKeys:   func(kid string) ([]byte, bool) { return loyaltyAppKey, kid == "app1" },
		PhoneKey: loyaltyPhoneKey, Now: func() time.Time { return testNow }, Online: func() bool { return r.online }})
	if err != nil {
		t.Fatal(err)
	}
	classifier := barcode.NewClassifier(barcode.DefaultWeightLayout())
	classifier.Register(svc.Recognizer())
	till := openTestTill(ctx, t, checkout.Config{Store: st, Register: reg, Classifier: classifier, Loyalty: svc, Channel: st},
		"Иванова А.")
	w := testWindow(t)
	screen := NewTill(w, TillDeps{Till: till, Lang: Russian, Cashier: "Иванова А.", Tape: dev,
		Now: func() time.Time { return testNow }})
	r.uiRig = &uiRig{screen: screen, store: st, w: w, dev: dev, cable: host}
	return r
}

func appQR(t *testing.T, customer string, issued time.Time, kid string, key []byte) string {
	t.Helper()
	s, err := wire.SignLoyaltyQR(wire.LoyaltyQR{Customer: customer, Issued: issued, Expires: issued.Add(wire.LoyaltyQRLifetime)}, kid, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tapButton taps the button labelled text in the top dialog.
func (r *loyaltyRig) tapButton(t *testing.T, text string) {
	t.Helper()
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Button:
			if v.Text == text {
				found = v
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(r.w.Canvas().Overlays().Top())
	if found == nil {
		t.Fatalf("no button %q in:\n%s", text, textsOf(r.w.Canvas().Overlays().Top()))
	}
	test.Tap(found)
}

// The demo's story: two products, the loyalty card scanned in the scan field, Ctrl+F9 redeems the most the
// rules allow, cash pays the rest; the register's receipt shows the discounted total, and the outbox holds
// the sale with its redemption and accrual under ids derived from the sale's.
func TestLoyaltyCardRedeemPay(t *testing.T) {
	r := newLoyaltyRig(t, true)
	r.scan("4600000000206") // Fairy 219,00
	r.scan("4607001771401") // milk 89,90
	r.scan("2700000000014") // Анна's card
	if len(r.screen.Lines()) != 2 {
		t.Fatalf("the card became a line: %+v", r.screen.Lines())
	}
	panel := textsOf(r.screen.loyalty.box)
	for _, want := range []string{"★ Анна П.", "Золото", "карта •••• 0014", "Баллы 1 000,00, доступно 1 000,00", "начислим 15,44 (5 %)", "−15 % на кофе"} {
		if !r.screen.loyalty.box.Visible() || !strings.Contains(panel, want) {
			t.Errorf("the panel does not show %q:\n%s", want, panel)
		}
	}
	if !strings.Contains(r.screen.Message(), "Покупатель: Анна П.") {
		t.Errorf("message line = %q", r.screen.Message())
	}
	// Ctrl+F9, Enter: half of 308,90 in whole rubles.
	r.screen.Input().TypedShortcut(ctrlF9)
	redeem := r.focusedEntry(t)
	if msg := textsOf(r.w.Canvas().Overlays().Top()); !strings.Contains(msg, "Не более 50 % чека, целыми рублями") {
		t.Errorf("the redemption dialog:\n%s", msg)
	}
	redeem.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := r.screen.total.Text; !strings.Contains(got, "154,90") {
		t.Errorf("total after the points: %q", got)
	}
	if panel := textsOf(r.screen.loyalty.box); !strings.Contains(panel, "списано 154,00 ₽") {
		t.Errorf("panel after redeeming:\n%s", panel)
	}
	r.payCash(t)

	sales, err := r.store.RecentSales(1)
	if err != nil || len(sales) != 1 {
		t.Fatalf("journal = %v, %v", sales, err)
	}
	s := sales[0]
	want := pos.SaleLoyalty{Customer: "c1", Redeemed: 15400, Earned: 774} // 5 % of 154,90
	if s.Status != pos.SaleFiscalised || s.Total != 15490 || s.Loyalty != want {
		t.Fatalf("sale: %s, total %s, loyalty %+v; want 154,90 and %+v", s.Status, s.Total, s.Loyalty, want)
	}
	if !regexp.MustCompile(`ИТОГ +=154,90`).MatchString(r.dev.Tape()) {
		t.Errorf("the fiscal receipt's total is not 154,90:\n%s", r.dev.Tape())
	}
	evs, err := r.store.PeekEvents(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range evs {
		line := ev.Type + " " + ev.ID
		switch ev.Type {
		case wire.TypeShiftOpen:
			line = ev.Type
		case wire.TypeLoyaltyAccrual, wire.TypeLoyaltyRedemption:
			var l wire.Loyalty
			_ = json.Unmarshal(ev.Payload, &l)
			line += " " + l.Customer + " " + pos.Money(l.Points).String()
		case wire.TypeAnalytics:
			var a wire.Analytics
			_ = json.Unmarshal(ev.Payload, &a)
			line = ev.Type + " " + a.Kind + " " + a.Via
		}
		got = append(got, line)
	}
	wantEvents := []string{"shift_open", "analytics loyalty_recognised card", "sale " + s.ID,
		"loyalty_redemption " + s.ID + ".loyalty_redemption c1 154,00", "loyalty_accrual " + s.ID + ".loyalty_accrual c1 7,74"}
	if strings.Join(got, "\n") != strings.Join(wantEvents, "\n") {
		t.Errorf("outbox:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantEvents, "\n"))
	}
	if r.screen.loyalty.box.Visible() {
		t.Error("the customer is still shown for the next one")
	}
}

func TestLoyaltyRecognition(t *testing.T) {
	fresh := func(t *testing.T) string { return appQR(t, "c1", testNow.Add(-time.Minute), "app1", loyaltyAppKey) }
	for _, c := range []struct {
		name   string
		pulled bool
		scan   func(t *testing.T) string // into the scan field
		typed  string                    // into the F9 dialog instead
		want   string                    // the panel's first line, or the refusal shown
		known  bool
	}{
		{name: "app QR in the scan field", pulled: true, scan: fresh, want: "★ Анна П. · Золото · приложение", known: true},
		{name: "phone in the F9 dialog", pulled: true, typed: "8 900 000-00-01", want: "тел. +7 ••• •••-••-01", known: true},
		{name: "card in the F9 dialog", pulled: true, typed: "2700000000021", want: "★ Олег С. · карта •••• 0021", known: true},
		{name: "unknown card", pulled: true, scan: func(*testing.T) string { return "2700000000038" }, want: "Карта не найдена"},
		{name: "misread card", pulled: true, scan: func(*testing.T) string { return "2700000000015" }, want: "Штрихкод прочитан с ошибкой"},
		{name: "forged QR", pulled: true, want: "поддельный", scan: func(t *testing.T) string {
			return appQR(t, "c1", testNow, "app1", []byte("not the chain's key, but 32 byte"))
		}},
		{name: "expired QR", pulled: true, want: "устарел", scan: func(t *testing.T) string {
			return appQR(t, "c1", testNow.Add(-10*time.Minute), "app1", loyaltyAppKey)
		}},
		{name: "QR of a foreign key", pulled: true, want: "ключом, которого нет", scan: func(t *testing.T) string {
			return appQR(t, "c1", testNow, "app9", loyaltyAppKey)
		}},
		{name: "misread card in the dialog", pulled: true, typed: "2700000000015", want: "Карта прочитана с ошибкой"},
		{name: "unknown phone", pulled: true, typed: "+7 900 000-00-09", want: "с таким телефоном не найден"},
		{name: "no customers pulled yet", scan: func(*testing.T) string { return "2700000000014" }, want: "ещё не получен"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newLoyaltyRig(t, c.pulled)
			r.scan("4607001771401")
			var shown string
			if c.scan != nil {
				r.scan(c.scan(t))
				shown = r.screen.Message()
			} else {
				r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF9})
				e := r.focusedEntry(t)
				test.Type(e, c.typed)
				e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
				if r.w.Canvas().Overlays().Top() != nil {
					shown = textsOf(r.w.Canvas().Overlays().Top())
				}
			}
			if c.known {
				shown = r.screen.loyalty.who.Text
			}
			if !strings.Contains(shown, c.want) {
				t.Errorf("shown %q, want %q", shown, c.want)
			}
			if _, ok := r.screen.till.Customer(); ok != c.known || len(r.screen.Lines()) != 1 {
				t.Errorf("customer known %v, lines %d", ok, len(r.screen.Lines()))
			}
		})
	}
}

// Offline the redemption is capped by the offline limit, and the panel says so; a customer who dictated
// their phone gets the electronic receipt there when they ask, from the customer dialog.
func TestLoyaltyOfflineAndEReceipt(t *testing.T) {
	r := newLoyaltyRig(t, true)
	r.online = false
	r.scan("5*4600000000206") // 1 095,00: half is 547,50, offline at most 500,00
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF9})
	e := r.focusedEntry(t)
	test.Type(e, "+79000000001")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if panel := textsOf(r.screen.loyalty.box); !strings.Contains(panel, "нет связи: списание не более 500,00") {
		t.Errorf("panel offline:\n%s", panel)
	}
	r.tapButtonOnTill(t, "Ctrl+F9 — Списать до 500,00")
	r.focusedEntry(t).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := r.screen.till.Cart().Totals().Total; got != 59500 {
		t.Errorf("total %s, want 595,00", got)
	}
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF9})
	r.tapButton(t, "Эл. чек на этот телефон")
	if !r.screen.buyerLabel.Visible() || !strings.Contains(r.screen.buyerLabel.Text, "+79000000001") {
		t.Errorf("e-receipt contact: %q", r.screen.buyerLabel.Text)
	}
	// Ctrl+F9 again gives the points back.
	r.screen.Input().TypedShortcut(ctrlF9)
	r.w.Canvas().Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := r.screen.till.Cart().Totals().Total; got != 109500 {
		t.Errorf("total after giving the points back %s, want 1 095,00", got)
	}
	r.payCash(t)
	sales, _ := r.store.RecentSales(1)
	if len(sales) != 1 || sales[0].Buyer != "+79000000001" || sales[0].Loyalty.Redeemed != 0 || sales[0].Loyalty.Earned != 5475 {
		t.Fatalf("sale %+v", sales)
	}
}

// tapButtonOnTill taps the panel's redemption button.
func (r *loyaltyRig) tapButtonOnTill(t *testing.T, text string) {
	t.Helper()
	if b := r.screen.loyalty.redeem; b.Text == text && r.screen.loyalty.box.Visible() {
		test.Tap(b)
		return
	}
	t.Fatalf("the panel's button is %q", r.screen.loyalty.redeem.Text)
}
