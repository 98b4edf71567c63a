package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

const cmlDir = "../../sync/hub/commerceml/testdata"

// runErr runs a command that must fail and returns its error text.
func runErr(t *testing.T, args ...string) string {
	t.Helper()
	err := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil {
		t.Fatalf("kassahub %s succeeded", strings.Join(args, " "))
	}
	return err.Error()
}

func TestCatalogImport(t *testing.T) {
	data := t.TempDir()
	cfg := writeConfig(t, "[[stores]]\nid = \"s1\"\n[[stores]]\nid = \"s2\"\n")
	csvPath := filepath.Join("testdata", "catalog.csv")
	delta := filepath.Join(t.TempDir(), "delta.csv")
	if err := os.WriteFile(delta, []byte("id;barcode;name;price;vat;unit;plu\n100001;4601234567893;Хлеб Дарницкий формовой 700 г;64.90;10;pcs;\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"--store", "s1", csvPath}, "catalog of s1: 3 added, 0 changed, 0 deleted, 0 unchanged\n"},
		{[]string{csvPath, "--store", "s1"}, "catalog of s1: 0 added, 0 changed, 0 deleted, 3 unchanged\n"},
		{[]string{"--store", "s1", "--delta", delta}, "catalog of s1: 0 added, 1 changed, 0 deleted, 0 unchanged\n"},
		{[]string{"--store", "s2", "--format", "commerceml", filepath.Join(cmlDir, "import.xml"), filepath.Join(cmlDir, "offers.xml"),
			"--online-price-type", "Интернет-магазин"},
			"catalog of s2: 6 added, 0 changed, 0 deleted, 0 unchanged\noffers of s2: 6 added, 0 changed, 0 deleted, 0 unchanged\n"},
	}
	for _, s := range steps {
		out := runOK(t, append([]string{"catalog", "import", "--config", cfg, "--data", data}, s.args...)...)
		if out != s.want {
			t.Errorf("catalog import %q:\n%s\nwant\n%s", s.args, out, s.want)
		}
	}
	errs := []struct {
		args []string
		want string
	}{
		{[]string{"--store", "s9", csvPath}, "not in the config's stores"},
		{[]string{"--store", "s1", filepath.Join(cmlDir, "import.xml")}, "line 1"},
		{[]string{"--store", "s1", "--format", "commerceml", filepath.Join(cmlDir, "offers.xml"), filepath.Join(cmlDir, "import.xml")}, "is this offers.xml"},
		{[]string{"--store", "s1", "--format", "commerceml", "--price-type", "Оптовая", filepath.Join(cmlDir, "import.xml"), filepath.Join(cmlDir, "offers.xml")}, "price type"},
		{[]string{"--store", "s1", filepath.Join(t.TempDir(), "none.csv")}, "no such file"},
	}
	for _, e := range errs {
		if msg := runErr(t, append([]string{"catalog", "import", "--config", cfg, "--data", data}, e.args...)...); !strings.Contains(msg, e.want) {
			t.Errorf("catalog import %q: %s, want %q", e.args, msg, e.want)
		}
	}

	st, err := hub.OpenReadOnly(dbPath(data))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tests := []struct {
		store, code, name string
		price             int64
	}{
		{"s1", "4601111111119", "Молоко Простоквашино 3,2% 930 мл", 10990},
		{"s1", "100001", "Хлеб Дарницкий формовой 700 г", 6490},
		{"s1", "00042", "", 0}, // a PLU is no barcode
		{"s2", "2900000000025", "Кеды мужские Спорт (42, белый)", 349900},
		{"s2", "4601234567893", "Хлеб Дарницкий формовой 700 г", 6290},
	}
	for _, tc := range tests {
		p, err := st.FindProduct(context.Background(), tc.store, tc.code)
		if tc.name == "" && err == nil || tc.name != "" && (err != nil || p.Name != tc.name || p.Price != tc.price) {
			t.Errorf("FindProduct(%s, %s) = %+v, %v", tc.store, tc.code, p, err)
		}
	}
	page, err := st.Feed(context.Background(), wire.FeedOffers, "s2", "", 100)
	if err != nil || len(page.Items) != 6 || !strings.Contains(string(page.Items[0]), `"online_price":5990`) {
		t.Errorf("offers of s2: %+v, %v", page, err)
	}
}

func TestCustomersAndLoyalty(t *testing.T) {
	data := t.TempDir()
	key := strings.Repeat("5a", 32)
	cfg := writeConfig(t, "[customers]\nphone_key = \""+key+"\"\n")
	csvPath := filepath.Join("testdata", "customers.csv")
	if msg := runErr(t, "customers", "import", "--data", data, csvPath); !strings.Contains(msg, "phone_key") {
		t.Errorf("import without a key: %s", msg)
	}
	if out := runOK(t, "customers", "import", "--config", cfg, "--data", data, csvPath); out != "customers: 2 added, 0 changed, 0 deleted, 0 unchanged\n" {
		t.Errorf("customers import: %q", out)
	}
	token := strings.TrimSpace(runOK(t, "terminal", "add", "--data", data, "--store", "s1", "--name", "till-1"))
	srv := startServe(t, "--config", cfg, "--data", data, "--listen", "127.0.0.1:0")
	loyalty := func(id string, seq uint64, typ string, points int64) wire.Event {
		p, _ := json.Marshal(wire.Loyalty{Customer: "c-1001", Points: points, Sale: "sale-" + id})
		return wire.Event{ID: id, Seq: seq, Type: typ, Terminal: "till-1", At: t0, Payload: p}
	}
	postBatch(t, srv.addr, token, loyalty("l1", 1, wire.TypeLoyaltyAccrual, 250), loyalty("l2", 2, wire.TypeLoyaltyRedemption, 200000))
	srv.stop(t)

	out := runOK(t, "loyalty", "ledger", "--data", data, "--customer", "c-1001")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.Contains(lines[1], "import") || !strings.Contains(lines[2], "+250") ||
		!strings.Contains(lines[3], "-200000  -49750 (overdraft)") || !strings.Contains(lines[3], "s1/till-1") {
		t.Errorf("ledger:\n%s", out)
	}
	var e hub.LedgerEntry
	jsonOut := runOK(t, "loyalty", "ledger", "--data", data, "--format", "json")
	if n := strings.Count(jsonOut, "\n"); n != 4 {
		t.Errorf("json ledger has %d lines:\n%s", n, jsonOut)
	}
	if err := json.Unmarshal([]byte(strings.Split(jsonOut, "\n")[3]), &e); err != nil || e.Customer != "c-1002" || e.Kind != hub.KindImport {
		t.Errorf("last json entry %+v, %v", e, err)
	}
	if strings.Contains(jsonOut, "Петрова") {
		t.Error("a full name reached the ledger")
	}
}

func TestPickupCreateAndQR(t *testing.T) {
	data := t.TempDir()
	hexKey := strings.Repeat("c3", 32)
	cfg := writeConfig(t, "[pickup]\nttl = \"24h\"\n[[pickup.keys]]\nid = \"k7\"\nsecret = \""+hexKey+"\"\n")
	runOK(t, "catalog", "import", "--data", data, "--store", "s1", filepath.Join("testdata", "catalog.csv"))
	args := []string{"pickup", "create", "--config", cfg, "--data", data, "--store", "s1", "--number", "W-10234",
		"--phone", "+7 912 345-67-89", "--name", "Анна Петрова", "--item", "4601234567893:2", "--item", "200001:0.75", "--prepaid"}
	id := strings.TrimSpace(runOK(t, args...))
	if id != hub.PickupOrderID("s1", "W-10234") {
		t.Fatalf("order id %q", id)
	}
	if again := strings.TrimSpace(runOK(t, args...)); again != id {
		t.Errorf("repeated create: %q", again)
	}
	if msg := runErr(t, "pickup", "create", "--data", data, "--store", "s1", "--number", "W-2", "--phone", "+79123456789",
		"--item", "4600000000000:1"); !strings.Contains(msg, "not in the catalog") {
		t.Errorf("unknown barcode: %s", msg)
	}
	if msg := runErr(t, "pickup", "qr", "--data", data, "--order", id, "--out", filepath.Join(t.TempDir(), "x.png")); !strings.Contains(msg, "pickup.keys") {
		t.Errorf("qr without keys: %s", msg)
	}

	png := filepath.Join(t.TempDir(), "order.png")
	payload := strings.TrimSpace(runOK(t, "pickup", "qr", "--config", cfg, "--data", data, "--order", id, "--out", png, "--size", "300"))
	if decoded := decodeQR(t, png); decoded != payload {
		t.Fatalf("the PNG says %q, the command printed %q", decoded, payload)
	}
	keys := func(kid string) ([]byte, bool) {
		b, _ := secret(hexKey)
		return b, kid == "k7"
	}
	q, err := wire.VerifyPickupQR(payload, keys, time.Now())
	if err != nil || q.Order != id || q.Store != "s1" || q.Number != "W-10234" || q.Expires.After(time.Now().Add(25*time.Hour)) {
		t.Errorf("QR %+v, %v", q, err)
	}
	st, err := hub.OpenReadOnly(dbPath(data))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	o, err := st.PickupOrder(context.Background(), id)
	if err != nil || o.Total != 2*6290+11993 || o.Prepaid != o.Total || o.Customer != "Анна П." || len(o.Lines) != 2 || o.Lines[1].Qty != 750 {
		t.Errorf("order %+v, %v", o, err)
	}
}

func decodeQR(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 300 {
		t.Errorf("image is %d px wide, want 300", img.Bounds().Dx())
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.GetText()
}
