//go:build e2e

package e2e

import (
	"image"
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/kassa-pos/kassa/sync/wire"
)

// The kiosk's colours as the screen shows them (pos/ui/kiosk_theme.go and Fyne's light theme).
var (
	kioskAttractBlue = color.RGBA{R: 0x0d, G: 0x47, B: 0xa1, A: 0xff} // the attract screen's ground
	kioskOnlineGreen = color.RGBA{R: 0xe3, G: 0xf4, B: 0xe4, A: 0xff} // the online price box
)

// isPrimary is the blue of a HighImportance button (Fyne's light primary #296ff6), also while hovered.
func isPrimary(c color.Color) bool {
	r, g, b := rgb(c)
	return r >= 20 && r <= 70 && g >= 85 && g <= 135 && b >= 200
}

func rgb(c color.Color) (r, g, b int) {
	r32, g32, b32, _ := c.RGBA()
	return int(r32 >> 8), int(g32 >> 8), int(b32 >> 8)
}

func near(c color.Color, want color.RGBA) bool {
	r, g, b := rgb(c)
	d := func(a int, b uint8) int { return max(a-int(b), int(b)-a) }
	return d(r, want.R) <= 8 && d(g, want.G) <= 8 && d(b, want.B) <= 8
}

// blob finds the pixels in r that match and returns the middle of their bounding box, if there are enough
// of them to be a button or a box rather than anti-aliased text.
func blob(img image.Image, r image.Rectangle, match func(color.Color) bool) (image.Point, bool) {
	r = r.Intersect(img.Bounds())
	box, n := image.Rectangle{}, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if match(img.At(x, y)) {
				box = box.Union(image.Rect(x, y, x+1, y+1))
				n++
			}
		}
	}
	if n < 2000 {
		return image.Point{}, false
	}
	return image.Pt((box.Min.X+box.Max.X)/2, (box.Min.Y+box.Max.Y)/2), true
}

// The screen's regions where the kiosk's main buttons sit: its bottom bar (the first of three buttons)
// and the header's right side (the basket button).
func bottomLeft(img image.Image) image.Rectangle {
	b := img.Bounds()
	return image.Rect(0, b.Dy()*7/8, b.Dx()/3, b.Dy())
}

func headerRight(img image.Image) image.Rectangle {
	b := img.Bounds()
	return image.Rect(b.Dx()/2, 0, b.Dx(), b.Dy()/9)
}

// decodeQR reads the QR code on the screen, as a phone or the till's scanner would.
func decodeQR(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// TestKioskBasketQR walks the price checker as a customer does: the attract screen, a scanned product with
// its store and online prices, "В корзину", the basket, and the basket's signed QR code for the till,
// which the test reads off the screen and verifies with the demo key.
func TestKioskBasketQR(t *testing.T) {
	s := newSession(t)
	const code = "4601111111119" // milk: cheaper online, so the basket carries the online price
	id, name, storePrice := demoProduct(t, code)

	k := s.startKassa("--demo", "--mode", "kiosk")
	k.waitLog("terminal ready", 60*time.Second)
	k.waitLog("kiosk: demo manager PIN", 30*time.Second)
	k.waitWindow()

	img := s.waitScreen("the attract screen", 15*time.Second, func(img image.Image) bool {
		b := img.Bounds()
		return near(img.At(b.Dx()/2, b.Dy()/6), kioskAttractBlue) && near(img.At(b.Dx()/2, b.Dy()*3/4), kioskAttractBlue)
	})
	s.save("kiosk_attract.png", img)

	s.scan(code)
	var add image.Point
	img = s.waitScreen("the product card of "+name, 15*time.Second, func(img image.Image) bool {
		b := img.Bounds()
		_, online := blob(img, image.Rect(b.Dx()/2, b.Dy()/4, b.Dx(), b.Dy()*7/8), func(c color.Color) bool { return near(c, kioskOnlineGreen) })
		p, ok := blob(img, bottomLeft(img), isPrimary)
		add = p
		return online && ok
	})
	s.save("kiosk_product.png", img)

	s.tap(add) // «＋ В корзину»
	var basket image.Point
	s.waitScreen("the header's basket button", 10*time.Second, func(img image.Image) bool {
		p, ok := blob(img, headerRight(img), isPrimary)
		basket = p
		return ok
	})
	s.tap(basket) // «Корзина · 1»
	var makeQR image.Point
	s.waitScreen("the basket", 10*time.Second, func(img image.Image) bool {
		_, header := blob(img, headerRight(img), isPrimary) // the basket view has no basket button
		p, ok := blob(img, bottomLeft(img), isPrimary)
		makeQR = p
		return !header && ok
	})
	// «QR-код для кассы»: a tap that lands while the view is still being laid out is lost, as a finger's
	// would be; tap again like a customer does, at most three times.
	var payload string
	for attempt := 1; payload == "" && attempt <= 3; attempt++ {
		s.tap(makeQR)
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			if text, err := decodeQR(s.capture()); err == nil {
				payload = text
				break
			}
		}
	}
	if payload == "" {
		s.save("kiosk_basket_qr_failed.png", s.capture())
		t.Fatal("no readable basket QR code on the screen after three taps")
	}
	img = s.capture()
	s.save("kiosk_basket_qr.png", img)

	if !strings.HasPrefix(payload, wire.BasketQRPrefix) {
		t.Fatalf("the QR on screen says %q, want a basket code %s…", payload, wire.BasketQRPrefix)
	}
	b, err := wire.VerifyBasketQR(payload, demoQRKey, time.Now())
	if err != nil {
		t.Fatalf("the basket QR on screen does not verify with the demo key: %v\n%s", err, payload)
	}
	if b.Store != "demo-store" || b.Source != wire.BasketFromKiosk || len(b.Items) != 1 {
		t.Fatalf("basket %+v: want one item from the kiosk of demo-store", b)
	}
	if it := b.Items[0]; it.ProductID != id || it.Qty != 1000 || it.Price <= 0 || it.Price >= int64(storePrice) {
		t.Fatalf("basket item %+v: want 1 × %s below the store price %d", it, id, storePrice)
	}
	t.Logf("basket %s: %s at %d kopecks (store %d)", b.ID, name, b.Items[0].Price, storePrice)

	// The view and the basket go to the hub as anonymous analytics.
	k.waitSynced(2)
	k.stop()
	totals := reportTotals(t, k.hub("report", "--format", "json"))
	if totals["kiosk_views"] < 1 || totals["baskets_created"] != 1 {
		t.Fatalf("the hub's report: kiosk_views %v, baskets_created %v; want ≥1 and 1", totals["kiosk_views"], totals["baskets_created"])
	}
}
