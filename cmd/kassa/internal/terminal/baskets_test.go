package terminal

import (
	"errors"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/kiosk"
)

var (
	basketNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	milk      = pos.Product{ID: "100002", Name: "Молоко Простоквашино 3,2% 930 мл", Price: 10990}
	bread     = pos.Product{ID: "100001", Name: "Хлеб Дарницкий формовой 700 г", Price: 6290}
	demoBask  = kiosk.Basket{ID: "k7q2xk9m3b4d5f6g", Store: "demo-store", Expires: basketNow.Add(24 * time.Hour),
		Items: []kiosk.BasketLine{{Product: milk, Qty: 2000, Price: 8990, Until: basketNow.Add(time.Hour)},
			{Product: bread, Qty: 1000, Price: 6290}}}
)

func TestKioskBasketAtTheTill(t *testing.T) {
	keys := DemoKeys()
	payload, err := KioskSigner{Keys: keys, KeyID: DemoKeyID}.SignBasket(demoBask)
	if err != nil {
		t.Fatal(err)
	}
	b, err := BasketOpener{Keys: keys}.OpenBasket(payload, basketNow)
	if err != nil {
		t.Fatal(err)
	}
	if b.ID != demoBask.ID || b.Store != "demo-store" || b.Source != "kiosk" || len(b.Items) != 2 ||
		b.Items[0] != (checkout.BasketItem{ProductID: milk.ID, Qty: 2000, Price: 8990, Until: basketNow.Add(time.Hour)}) {
		t.Errorf("opened %+v", b)
	}
	if _, err := (BasketOpener{Keys: keys}).OpenBasket(payload, demoBask.Expires); !errors.Is(err, checkout.ErrBasketExpired) {
		t.Errorf("expired: %v", err)
	}
	other := Keys{QR: map[string][]byte{DemoKeyID: []byte("another chain's key, same id...")}}
	if _, err := (BasketOpener{Keys: other}).OpenBasket(payload, basketNow); !errors.Is(err, checkout.ErrBasketForged) {
		t.Errorf("another chain's key: %v", err)
	}
	if _, err := (KioskSigner{Keys: keys, KeyID: "nope"}).SignBasket(demoBask); err == nil {
		t.Error("signed with a key the ring does not have")
	}
}

// TestBasketSlip prints the slip for 58 and 80 mm paper and scans its QR code back from the raster.
func TestBasketSlip(t *testing.T) {
	payload, err := KioskSigner{Keys: DemoKeys(), KeyID: DemoKeyID}.SignBasket(demoBask)
	if err != nil {
		t.Fatal(err)
	}
	for _, cols := range []int{32, 48} {
		prof, err := PrinterOptions{Width: cols}.Profile()
		if err != nil {
			t.Fatal(err)
		}
		d, err := BasketDocument(prof, demoBask, payload, SlipHeader{Shop: "Продукты у дома", Terminal: "kiosk-1"})
		if err != nil {
			t.Fatal(err)
		}
		dec, err := escpos.Decode(d.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(dec.Lines(), "\n")
		for _, want := range []string{"Корзина для кассы", "Хлеб Дарницкий", "2 x 89,90", "в магазине 109,90",
			"Итого по корзине", "242,70", "Выгода против цен магазина", "40,00", "Не является чеком"} {
			if !strings.Contains(text, want) {
				t.Errorf("%d columns: %q missing from\n%s", cols, want, text)
			}
		}
		for _, l := range dec.Lines() {
			if n := len([]rune(l)); n > cols {
				t.Errorf("line %q is %d characters, the paper has %d", l, n, cols)
			}
		}
		imgs := dec.Images()
		if len(imgs) != 1 || dec.Count(escpos.KindCut) != 1 {
			t.Fatalf("%d images, %d cuts", len(imgs), dec.Count(escpos.KindCut))
		}
		if got := decodeQR(t, imgs[0]); got != payload {
			t.Errorf("the printed QR says %q, want the payload", got)
		}
	}
}

func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the QR code does not scan: %v", err)
	}
	return res.GetText()
}
