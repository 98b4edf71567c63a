package ui

import (
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/kiosk"
	"github.com/kassa-pos/kassa/sync/wire"
)

func TestKioskScanCompareBasket(t *testing.T) {
	r := newKioskRig(t)
	if r.screen.View() != kioskAttract {
		t.Fatalf("starts on %s", r.screen.View())
	}
	r.has(t, "Отсканируйте товар —", "узнайте цену в магазине и онлайн", "Продукты у дома")

	r.scan("4601111111119")
	if r.screen.View() != kioskCard {
		t.Fatalf("after a scan: %s (%s)", r.screen.View(), r.text())
	}
	r.has(t, kMilk.Name, "В МАГАЗИНЕ", "109,90 ₽", "ОНЛАЙН", "89,90 ₽", "скидка только онлайн −10,00 ₽",
		"Онлайн дешевле на 20,00 ₽", "самовывозом из этого магазина", "Есть в этом магазине: 12 шт", "ТЦ Мега — 4 шт",
		"Добавьте в корзину — на кассе этого магазина по онлайн-цене 89,90 ₽", "Кефир Домик в деревне")

	r.tap(t, "rel.0") // the related kefir: dearer online, none in this store
	r.has(t, kKefir.Name, "В магазине дешевле на 7,00 ₽", "Сейчас нет в этом магазине")
	r.tap(t, "back")
	r.scan("4601111111119")
	r.tap(t, "add")
	r.has(t, "Добавлено в корзину: "+kMilk.Name, "Корзина · 1")

	r.tap(t, "continue")
	img, link := r.screen.QR()
	if r.screen.View() != kioskOnline || img == nil || decodeQR(t, img) != link {
		t.Fatalf("continue online: view %s, link %q", r.screen.View(), link)
	}
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("utm_source") != "kiosk" || u.Query().Get("utm_campaign") != kioskTill || !strings.Contains(u.Path, kMilk.ID) {
		t.Errorf("product link %s", link)
	}
	r.tap(t, "back")

	r.tap(t, "basket")
	r.tap(t, "plus.0")
	r.has(t, "89,90 ₽ × 2 = 179,80 ₽", "в магазине 109,90 ₽", "Итого 179,80 ₽", "Выгода 40,00 ₽")
	r.tap(t, "basket.qr")
	if r.screen.View() != kioskBasketQR {
		t.Fatalf("basket QR: %s (%s)", r.screen.View(), r.text())
	}
	img, payload := r.screen.QR()
	if got := decodeQR(t, img); got != payload {
		t.Fatalf("the QR on screen says %q, want %q", got, payload)
	}
	// What the till reads from the screen: the whole window, as rendered.
	if got := decodeQR(t, r.w.Canvas().Capture()); got != payload {
		t.Fatalf("the window shows a QR saying %q", got)
	}
	b, err := wire.VerifyBasketQR(payload, func(kid string) ([]byte, bool) { return kioskKey, kid == "k1" }, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if b.Store != kioskTill || b.Source != wire.BasketFromKiosk || len(b.Items) != 1 ||
		b.Items[0] != (wire.BasketItem{ProductID: kMilk.ID, Qty: 2000, Price: 8990}) || !b.Expires.Equal(testNow.Add(kiosk.DefaultBasketTTL)) {
		t.Errorf("basket %+v", b)
	}
	r.has(t, "Покажите этот код на кассе", "2 шт. на 179,80 ₽")
	want := []pos.ChannelEventKind{pos.ChannelKioskView, pos.ChannelKioskView, pos.ChannelKioskView,
		pos.ChannelContinueOnline, pos.ChannelBasketCreated}
	if got := r.events.kinds(); !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}

	r.tap(t, "print")
	if got := <-r.prints; got != payload {
		t.Errorf("printed %q", got)
	}
	for r.screen.Busy() {
		runtime.Gosched() // the print's goroutine draws its outcome; no time is asserted
	}
	r.has(t, "Заберите чек с QR-кодом из принтера")

	r.tap(t, "done")
	if r.screen.View() != kioskAttract || len(r.screen.Basket()) != 0 {
		t.Errorf("after done: %s with %d lines", r.screen.View(), len(r.screen.Basket()))
	}
}

func TestKioskIdleReset(t *testing.T) {
	r := newKioskRig(t)
	r.clock.Advance(time.Hour)
	if r.screen.View() != kioskAttract || r.screen.Banner() != "" {
		t.Fatal("the attract view timed out")
	}
	r.scan("4601111111119")
	r.tap(t, "add")
	r.tap(t, "lang")
	r.tap(t, "larger")
	r.clock.Advance(29 * time.Second)
	if r.screen.Banner() != "" {
		t.Fatalf("banner after 29 s: %q", r.screen.Banner())
	}
	r.clock.Advance(time.Second)
	if b := r.screen.Banner(); !strings.Contains(b, "Back to start in 15 s") {
		t.Fatalf("banner at 30 s: %q", b)
	}
	r.clock.Advance(14 * time.Second)
	if b := r.screen.Banner(); !strings.Contains(b, "in 1 s") || r.screen.View() != kioskCard {
		t.Fatalf("at 44 s: %q on %s", b, r.screen.View())
	}
	test.Tap(r.screen.Button("basket")) // the customer is still there
	if r.screen.Banner() != "" {
		t.Fatal("a touch left the warning up")
	}
	r.clock.Advance(44 * time.Second)
	if r.screen.View() != kioskBasket || len(r.screen.Basket()) != 1 {
		t.Fatalf("reset 44 s after a touch: %s", r.screen.View())
	}
	r.clock.Advance(time.Second)
	if r.screen.View() != kioskAttract || len(r.screen.Basket()) != 0 || r.screen.Banner() != "" ||
		r.screen.Language() != Russian || r.screen.Larger() {
		t.Fatalf("after the reset: %s, %d lines, banner %q, %s, larger %v", r.screen.View(), len(r.screen.Basket()),
			r.screen.Banner(), r.screen.Language(), r.screen.Larger())
	}
	r.has(t, "Отсканируйте товар —")
}

func TestKioskManagerPIN(t *testing.T) {
	r := newKioskRig(t)
	r.screen.Sink().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyK,
		Modifier: fyne.KeyModifierControl | fyne.KeyModifierAlt})
	if r.screen.View() != kioskPIN {
		t.Fatalf("Ctrl+Alt+K: %s", r.screen.View())
	}
	typePIN := func(pin string) {
		for _, d := range pin {
			r.tap(t, "key."+string(d))
		}
		r.tap(t, "key.ok")
	}
	typePIN("1111")
	if r.screen.View() != kioskPIN || r.exits != 0 {
		t.Fatalf("a wrong PIN let the customer through: %s", r.screen.View())
	}
	r.has(t, "Неверный PIN. Осталось попыток: 4")
	if strings.Contains(r.text(), "1111") {
		t.Error("the PIN shows in clear")
	}
	r.tap(t, "cancel")
	if r.screen.View() != kioskAttract {
		t.Fatalf("cancel: %s", r.screen.View())
	}

	for range kioskCornerTaps {
		test.Tap(r.screen.Corner())
	}
	if r.screen.View() != kioskPIN {
		t.Fatalf("corner gesture: %s", r.screen.View())
	}
	typePIN("2468")
	if r.screen.View() != kioskManager {
		t.Fatalf("right PIN: %s (%s)", r.screen.View(), r.text())
	}
	r.tap(t, "exit")
	if r.exits != 1 {
		t.Error("the manager could not close the kiosk")
	}

	r.screen.RequestExit() // the window's close button; the manager types on a keyboard
	r.scan("2468")
	if r.screen.View() != kioskManager {
		t.Fatalf("PIN typed on a keyboard: %s (%s)", r.screen.View(), r.text())
	}
	r.tap(t, "resume")
	r.screen.RequestExit()
	for range 5 {
		typePIN("0000")
	}
	r.has(t, "Ввод заблокирован до")
	typePIN("2468")
	if r.screen.View() != kioskPIN {
		t.Error("the right PIN worked while locked")
	}
}

func TestKioskUnknownAndKeypad(t *testing.T) {
	r := newKioskRig(t)
	r.scan("4600000000008")
	if r.screen.View() != kioskMessage {
		t.Fatalf("unknown code: %s", r.screen.View())
	}
	r.has(t, "Не нашли такой товар", "позовите консультанта")
	if len(*r.events) != 0 {
		t.Errorf("an unknown code recorded %+v", *r.events)
	}
	r.tap(t, "type")
	for _, d := range "46012345678930" {
		r.tap(t, "key."+string(d))
	}
	r.tap(t, "key.⌫")
	r.tap(t, "key.ok")
	if r.screen.View() != kioskCard {
		t.Fatalf("typed code: %s (%s)", r.screen.View(), r.text())
	}
	r.has(t, kBread.Name, "Онлайн этот товар не продаётся")

	r.scan("KB1.k1.e30.abc")
	r.has(t, "Это QR-код корзины", "Покажите его кассиру")
	r.tap(t, "staff")
	r.has(t, "Консультант уже идёт к вам")
}

func TestKioskAttractTapOpensKeypad(t *testing.T) {
	r := newKioskRig(t)
	test.TapCanvas(r.w.Canvas(), fyne.NewPos(640, 400))
	if r.screen.View() != kioskCode {
		t.Fatalf("a tap on the attract view: %s", r.screen.View())
	}
	r.clock.Advance(DefaultKioskIdle)
	if r.screen.View() != kioskAttract {
		t.Errorf("the keypad did not time out: %s", r.screen.View())
	}
}

func TestKioskFullBasket(t *testing.T) {
	r := newKioskRig(t)
	r.scan("4601111111119")
	r.tap(t, "add")
	if err := r.screen.session.SetQty(kMilk.ID, kiosk.MaxLineQty); err != nil { // 98 taps later
		t.Fatal(err)
	}
	r.tap(t, "add")
	if n := r.screen.Basket()[0].Qty; n != kiosk.MaxLineQty {
		t.Errorf("qty %s, want the limit %s", n, kiosk.MaxLineQty)
	}
	r.has(t, "Не больше 99 шт. одного товара")
}
