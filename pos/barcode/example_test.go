package barcode_test

import (
	"errors"
	"fmt"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
)

func ExampleClassifier_Classify() {
	c := barcode.NewClassifier(barcode.DefaultWeightLayout())
	for _, text := range []string{
		"4607001771401\r\n",  // EAN-13 from a keyboard-wedge scanner
		"]E02112345012346",   // weight label with an AIM prefix
		"036000291452",       // UPC-A, looked up by its 13-digit GTIN
		"1234",               // article typed by the cashier
		"4607001771409",      // misread check digit
		"010460700177140121", // nothing the till knows
	} {
		code, err := c.Classify(text)
		switch {
		case errors.Is(err, pos.ErrInvalidBarcode):
			fmt.Println("rescan:", err)
		case err != nil:
			fmt.Println("unknown:", err)
		case code.Kind == barcode.KindWeight:
			fmt.Printf("%v: item %s, %s kg\n", code.Kind, code.Item, code.Weight)
		case code.Kind == barcode.KindArticle:
			fmt.Printf("%v: %s\n", code.Kind, code.Item)
		default:
			fmt.Printf("%v: GTIN %s\n", code.Kind, code.GTIN)
		}
	}
	// Output:
	// EAN-13: GTIN 4607001771401
	// weight label: item 12345, 1,234 kg
	// UPC-A: GTIN 0036000291452
	// article: 1234
	// rescan: invalid barcode "4607001771409": wrong EAN-13 check digit 9, want 1
	// unknown: unknown barcode "010460700177140121": 18 digits is not a known code length
}

// Scales that print PP CCCC PPPPPP K: a four-digit item code and a six-digit price in kopecks.
func ExampleWeightLayout() {
	layout := barcode.WeightLayout{
		Prefixes:    []string{"22", "23"},
		ItemDigits:  4,
		ValueDigits: 6,
		Value:       barcode.ValuePrice,
	}
	if err := layout.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	code, err := barcode.NewClassifier(layout).Classify("2212340012348")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("prefix %s, item %s, price %s ₽\n", code.Prefix, code.Item, code.Price)

	bad := barcode.WeightLayout{Prefixes: []string{"22"}, ItemDigits: 5, ValueDigits: 6}
	fmt.Println(bad.Validate())
	// Output:
	// prefix 22, item 1234, price 12,34 ₽
	// bad weight label layout: 2 prefix + 5 item + 6 value digits must make the 12 digits before the check digit
}

// A store whose scales print weight labels under "21" and price labels under "22".
func ExampleWeightRecognizer() {
	prices, err := barcode.WeightRecognizer(barcode.WeightLayout{
		Prefixes: []string{"22"}, ItemDigits: 5, ValueDigits: 5, Value: barcode.ValuePrice,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := barcode.NewClassifier(barcode.WeightLayout{Prefixes: []string{"21"}, ItemDigits: 5, ValueDigits: 5})
	c.Register(prices)
	for _, text := range []string{"2112345012346", "2212345012343"} {
		code, err := c.Classify(text)
		if err != nil {
			fmt.Println(err)
			continue
		}
		if code.Price != 0 {
			fmt.Printf("item %s: price %s ₽\n", code.Item, code.Price)
		} else {
			fmt.Printf("item %s: %s kg\n", code.Item, code.Weight)
		}
	}
	// Output:
	// item 12345: 1,234 kg
	// item 12345: price 12,34 ₽
}
