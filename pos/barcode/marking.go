package barcode

// MarkingRecognizer returns a Recognizer for marking codes (Честный знак): GS1 element strings that start
// with AI 01 directly followed by AI 21 with a serial, and 29-character tobacco pack codes. Other text,
// a bare GTIN-14 or a GS1-128 carton label without a serial, is left to the other recognizers. A claimed
// code that ParseGS1 rejects is an error, so that a damaged or layout-mangled scan asks for a rescan
// instead of being read as something else.
//
// The Code has Kind KindMarking, Raw and Marking.Raw the code as read (GS intact), GTIN the catalogue
// key (the EAN-13 inside a GTIN-14 that starts with "0") and Weight the net weight of AI 310n.
// NewClassifier already includes it; register it only on Classifiers of your own making.
func MarkingRecognizer() Recognizer { return recognizeMarking }

func recognizeMarking(text string) (Code, bool, error) {
	if !looksLikeMarking(stripFNC1(text)) {
		return Code{}, false, nil
	}
	g, err := ParseGS1(text)
	if err != nil {
		return Code{}, true, err
	}
	gtin := g.GTIN
	if gtin[0] == '0' {
		gtin = gtin[1:]
	}
	return Code{Kind: KindMarking, Raw: g.Raw, GTIN: gtin, Weight: g.Weight, Marking: &g}, true, nil
}

// looksLikeMarking reports whether s (without AIM identifier and FNC1) is shaped like a marking code:
// "01" + 14 digits + "21" (optionally after a GS) + at least one character, or a tobacco pack code.
func looksLikeMarking(s string) bool {
	if isTobaccoShape(s) {
		return true
	}
	if len(s) < 16 || s[:2] != "01" || !allDigits(s[2:16]) {
		return false
	}
	rest := s[16:]
	if rest != "" && rest[0] == GS {
		rest = rest[1:]
	}
	return len(rest) > 2 && rest[:2] == "21"
}
