package main

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/BurntSushi/toml"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/sync/wire"
)

// KeysConfig holds the chain's secrets, in hex, the same as the hub's config: the QR keys verify pickup,
// basket and loyalty-app codes offline, the phone key hashes customers' phones for lookup.
type KeysConfig struct {
	Phone string        `toml:"phone"`
	QR    []QRKeyConfig `toml:"qr"`
}

// QRKeyConfig is one key of the QR key ring; keep an old id until the codes signed with it have expired.
// Purposes limit what the key may sign ("pickup", "basket", "loyalty"); none: everything. A kiosk's own
// key is `purposes = ["basket"]`.
type QRKeyConfig struct {
	ID       string   `toml:"id"`
	Secret   string   `toml:"secret"`
	Purposes []string `toml:"purposes"`
}

// keys decodes the secrets.
func (k KeysConfig) keys() (terminal.Keys, error) {
	var out terminal.Keys
	if k.Phone != "" {
		b, err := hex.DecodeString(k.Phone)
		if err != nil || len(b) < 16 {
			return out, fmt.Errorf("config: keys.phone: want at least 16 bytes of hex")
		}
		out.Phone = b
	}
	for _, q := range k.QR {
		b, err := hex.DecodeString(q.Secret)
		if err != nil || len(b) < 16 || !wire.ValidKeyID(q.ID) {
			return out, fmt.Errorf("config: keys.qr %q: want an id of A-Z a-z 0-9 _ - and at least 16 bytes of hex", q.ID)
		}
		if out.QR == nil {
			out.QR = map[string][]byte{}
		}
		out.QR[q.ID] = b
		if len(q.Purposes) > 0 {
			if out.Purposes == nil {
				out.Purposes = map[string][]string{}
			}
			out.Purposes[q.ID] = q.Purposes
		}
	}
	if err := out.CheckPurposes(); err != nil {
		return out, fmt.Errorf("config: %w", err)
	}
	return out, nil
}

// The terminal's faces (Config.Mode).
const (
	modeTill   = "till"
	modeKiosk  = "kiosk"
	modePickup = "pickup"
)

// Config is kassa.toml. Every field has a default that suits the demo; a store sets terminal, cashier,
// the register's port and the hub.
type Config struct {
	Terminal string `toml:"terminal"` // the terminal's name at the hub
	Store    string `toml:"store"`    // the store it belongs to, as the hub names it ("demo-store" in the demo)
	Cashier  string `toml:"cashier"`
	Language string `toml:"language"` // "ru" (default) or "en"
	Mode     string `toml:"mode"`     // "till" (default), "kiosk" or "pickup": which face this terminal shows
	Data     string `toml:"data"`     // the data folder: kassa.db, logs, the emulator's state

	KKT     KKTConfig     `toml:"kkt"`
	Hub     HubConfig     `toml:"hub"`
	Barcode BarcodeConfig `toml:"barcode"`
	Scale   ScaleConfig   `toml:"scale"`
	Display DisplayConfig `toml:"display"`
	Printer PrinterConfig `toml:"printer"`
	Keys    KeysConfig    `toml:"keys"`
	Loyalty LoyaltyConfig `toml:"loyalty"` // loyaltyconfig.go
	Pickup  PickupConfig  `toml:"pickup"`  // pickup.go
	Kiosk   KioskConfig   `toml:"kiosk"`   // kiosk.go
	Journal JournalConfig `toml:"journal"` // journalconfig.go

	file string // the file it was read from ("" without --config); F12 device settings write to it (devices.go)
}

// PrinterConfig is the ESC/POS receipt printer for non-fiscal slips (the shift summary at the Z report).
type PrinterConfig struct {
	Port     string `toml:"port"`     // /dev/ttyUSB1 (serial), /dev/usb/lp0 (USB printer class); "emulator"; empty: none
	Baud     int    `toml:"baud"`     // serial printers; 9600 when zero
	CodePage int    `toml:"codepage"` // the model's ESC t number for CP866: 17 Epson and most 58 mm clones, 7 Rongta
	Width    int    `toml:"width"`    // characters per line: 32 (58 mm), 42 or 48 (80 mm)
	QR       string `toml:"qr"`       // "raster" (default) or "native"
	Shop     string `toml:"shop"`     // the store's name at the top of slips
}

// ScaleConfig is the checkout scale (Massa-K «Протокол 100»).
type ScaleConfig struct {
	Port string `toml:"port"` // serial device; "emulator" in the demo; empty: no scale
}

// DisplayConfig is the customer display.
type DisplayConfig struct {
	Port string `toml:"port"` // serial device; empty: no display
	Mode string `toml:"mode"` // "cd5220" (default) or "epson"
}

// KKTConfig is the fiscal register.
type KKTConfig struct {
	Port      string `toml:"port"` // serial device, e.g. /dev/ttyACM0; "emulator" runs the emulator in-process
	Baud      int    `toml:"baud"`
	Password  uint32 `toml:"password"`
	VAT22     byte   `toml:"vat22_code"`     // FF46 byte for НДС 22 %: 0xCB classic firmware, 0x90 Nano
	VAT22_122 byte   `toml:"vat22_122_code"` // 0xCC classic, 0xA0 Nano
	TaxSystem byte   `toml:"tax_system"`     // 1 ОСН, 2 УСН доход, 4 УСН доход − расход …
	// CashierINN is the cashier's INN (12 digits, tag 1203) sent with the cashier's name; empty: none.
	CashierINN string `toml:"cashier_inn"`
	// TextWidth is the characters per line of the texts the register prints itself (a personal offer under
	// its position): 32–36 on a 57 mm roll, up to 48 on 80 mm. 0: the driver's line width.
	TextWidth int `toml:"text_width"`
}

// Bounds of [kkt] text_width: narrower wraps a short offer onto many lines; no register prints wider.
const (
	minTextWidth = 20
	maxTextWidth = 64
)

// fiscalTextWidth is fiscal.Config.TextWidth for the config. fiscal prints at most the driver's line width,
// so the unset value asks for the widest and gets exactly the driver's.
func (k KKTConfig) fiscalTextWidth() int {
	if k.TextWidth == 0 {
		return maxTextWidth
	}
	return k.TextWidth
}

// HubConfig is the central backend.
type HubConfig struct {
	URL       string `toml:"url"`        // empty: the demo's embedded hub
	TokenFile string `toml:"token_file"` // kept with 0600 permissions
	CAFile    string `toml:"ca_file"`    // the store backend's own CA, if any
}

// BarcodeConfig is the layout of in-store weight labels.
type BarcodeConfig struct {
	WeightPrefixes []string `toml:"weight_prefixes"`
	ItemDigits     int      `toml:"item_digits"`
	ValueDigits    int      `toml:"value_digits"`
	Value          string   `toml:"value"` // "weight" (grams) or "price" (kopecks)
	// GSSubstitute is what a keyboard-wedge scanner is programmed to type for the GS inside a DataMatrix
	// ("<GS>", "|" …); empty: the scanner sends GS itself or Ctrl+].
	GSSubstitute string `toml:"gs_substitute"`
}

func defaultConfig() Config {
	l := barcode.DefaultWeightLayout()
	return Config{
		Terminal: "till-1",
		Cashier:  "Кассир",
		Language: "ru",
		Mode:     modeTill,
		Data:     "kassa-data",
		KKT:      KKTConfig{Port: "emulator", Baud: 115200, Password: 30, TaxSystem: 1},
		Barcode:  BarcodeConfig{WeightPrefixes: l.Prefixes, ItemDigits: l.ItemDigits, ValueDigits: l.ValueDigits, Value: "weight"},
		Loyalty:  LoyaltyConfig{Enabled: true},
	}
}

// loadConfig reads path over the defaults; a missing file is fine only when path was not given.
func loadConfig(path string) (Config, error) {
	cfg := defaultConfig()
	if path == "" {
		return cfg, nil
	}
	cfg.file = path
	md, err := toml.DecodeFile(path, &cfg)
	if err != nil {
		return cfg, fmt.Errorf("read config %s: %w", path, err)
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		return cfg, fmt.Errorf("config %s: unknown setting %q", path, undec[0].String())
	}
	return cfg, cfg.validate()
}

func (c Config) validate() error {
	if c.Terminal == "" {
		return errors.New("config: terminal must not be empty")
	}
	if _, err := c.Keys.keys(); err != nil {
		return err
	}
	if _, err := c.Loyalty.options(); err != nil {
		return err
	}
	if err := c.Pickup.validate(); err != nil {
		return err
	}
	if err := c.Kiosk.validate(); err != nil {
		return err
	}
	if err := c.Journal.validate(); err != nil {
		return err
	}
	switch c.Mode {
	case "", modeTill, modeKiosk, modePickup:
	default:
		return fmt.Errorf("config: mode %q is none of till, kiosk, pickup", c.Mode)
	}
	if c.Language != "ru" && c.Language != "en" {
		return fmt.Errorf("config: language %q is neither ru nor en", c.Language)
	}
	if _, err := terminal.PrinterOptions(c.Printer).Profile(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if !validINN(c.KKT.CashierINN) {
		return fmt.Errorf("config: kkt cashier_inn %q is not 12 digits", c.KKT.CashierINN)
	}
	if w := c.KKT.TextWidth; w != 0 && (w < minTextWidth || w > maxTextWidth) {
		return fmt.Errorf("config: kkt text_width %d is not between %d and %d", w, minTextWidth, maxTextWidth)
	}
	_, err := c.Barcode.layout()
	return err
}

// validINN accepts an empty INN or a person's 12 digits.
func validINN(s string) bool {
	if s == "" {
		return true
	}
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (b BarcodeConfig) layout() (barcode.WeightLayout, error) {
	l := barcode.WeightLayout{Prefixes: b.WeightPrefixes, ItemDigits: b.ItemDigits, ValueDigits: b.ValueDigits}
	switch b.Value {
	case "weight", "":
		l.Value = barcode.ValueWeight
	case "price":
		l.Value = barcode.ValuePrice
	default:
		return l, fmt.Errorf("config: barcode value %q is neither weight nor price", b.Value)
	}
	if err := l.Validate(); err != nil {
		return l, fmt.Errorf("config: %w", err)
	}
	return l, nil
}
