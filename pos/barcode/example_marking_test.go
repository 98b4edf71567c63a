package barcode_test

import (
	"fmt"
	"strings"

	"github.com/kassa-pos/kassa/pos/barcode"
)

// A water bottle's DataMatrix as a serial scanner sends it: AIM identifier, GS before the crypto tail.
func ExampleParseGS1() {
	g, err := barcode.ParseGS1("]d20104640043463309215UWtYHQ3hiHnm\x1d93dGVz")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("GTIN:", g.GTIN, "serial:", g.Serial, "crypto:", g.Crypto)
	fmt.Println("КИ:", g.CIS())
	fmt.Printf("for the ККТ: %q\n", g.Raw)

	_, err = barcode.ParseGS1("0104640043463309215UWtYHQ3hiHnm93dGVz91EE05")
	fmt.Println(err)
	// Output:
	// GTIN: 04640043463309 serial: 5UWtYHQ3hiHnm crypto: dGVz
	// КИ: 0104640043463309215UWtYHQ3hiHnm
	// for the ККТ: "0104640043463309215UWtYHQ3hiHnm\x1d93dGVz"
	// invalid barcode "0104640043463309215UWtYHQ3hiHnm93dGVz91EE05": marking code: AI 21 (serial) has 25 characters, want 1 to 20: GS separator missing?
}

// A keyboard-wedge scanner programmed to type "<GS>" for GS, used while the Russian layout is active.
func ExampleWedgeRepair() {
	typed := "0104640043463309215ГЦеНРЙ3ршРть" + "БПЫЮ" + "93вПМя"
	c := barcode.NewClassifier(barcode.DefaultWeightLayout())
	if _, err := c.Classify(typed); err != nil {
		fmt.Println("without repair:", err)
	}
	c.SetWedgeRepair(barcode.WedgeRepair{GSSubstitute: "<GS>", FixLayout: true})
	code, err := c.Classify(typed)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v, EAN %s, as read %q\n", code.Kind, code.GTIN, code.Marking.Raw)
	fmt.Println(strings.Contains(code.Raw, "\x1d"))
	// Output:
	// without repair: invalid barcode "0104640043463309215ГЦеНРЙ3ршРтьБПЫЮ93вПМя": marking code: AI 21 (serial): character "Г" is not allowed in GS1 data (keyboard layout?)
	// marking code, EAN 4640043463309, as read "0104640043463309215UWtYHQ3hiHnm\x1d93dGVz"
	// true
}
