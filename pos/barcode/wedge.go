package barcode

import (
	"strings"
	"unicode/utf8"
)

// WedgeRepair undoes what a keyboard-wedge scanner (a scanner in USB-HID keyboard mode) does to marking
// codes. GS has no key, so such scanners are programmed to type a substitute for it; and when the
// Russian ЙЦУКЕН layout is active every Latin letter and several symbols arrive as the character that
// key makes in that layout. The zero value changes nothing.
type WedgeRepair struct {
	// GSSubstitute is the text the scanner types instead of GS ("<GS>", "|", "^]" …); every occurrence
	// becomes GS (0x1D). "" turns this off; a substitute that contains GS, or is not valid UTF-8 (and
	// could match half a character), is ignored.
	GSSubstitute string
	// FixLayout maps text typed under the Russian layout back to the US one, key by key. It applies to
	// text that has a Cyrillic letter or "№", no Latin letter, and looks like a code rather than Russian
	// words: it has no space, or it starts with "01" or an AIM identifier once mapped.
	FixLayout bool
}

// ruToUS maps each character the Russian (Windows ЙЦУКЕН) layout makes to the character the same key
// makes in the US layout. Characters the two layouts share (digits, space, !%*()_+-=\) are not listed.
var ruToUS = func() map[rune]rune {
	const (
		ru = "йцукенгшщзхъфывапролджэячсмитьбюё" + "ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ" + `"№;:?.,/`
		us = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`" + `QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>~` + `@#$^&/?|`
	)
	m := make(map[rune]rune, utf8.RuneCountInString(ru))
	u := []rune(us)
	for i, r := range []rune(ru) {
		m[r] = u[i]
	}
	return m
}()

// Repair restores GS from the substitute and, with FixLayout, the US layout (see WedgeRepair). It is
// idempotent: repairing repaired text changes nothing, and a code typed under the US layout (Latin
// letters, no substitute) comes back unchanged.
func (w WedgeRepair) Repair(s string) string {
	s = w.restoreGS(s)
	if !w.FixLayout || !typedRussian(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if us, ok := ruToUS[r]; ok {
			r = us
		}
		b.WriteRune(r)
	}
	m := b.String()
	_, data := splitAIM(m)
	if strings.ContainsRune(m, ' ') && !strings.HasPrefix(m, "01") && len(data) == len(m) {
		return s // words typed in Russian, not a code
	}
	// The substitute was typed under the Russian layout too, so it is only recognisable now.
	return w.restoreGS(m)
}

func (w WedgeRepair) restoreGS(s string) string {
	if w.GSSubstitute == "" || strings.ContainsRune(w.GSSubstitute, GS) || !utf8.ValidString(w.GSSubstitute) {
		return s
	}
	return strings.ReplaceAll(s, w.GSSubstitute, string(GS))
}

// typedRussian reports whether s has a character only the Russian layout makes (a Cyrillic letter of
// the layout or "№") and no Latin letter, which that layout cannot type.
func typedRussian(s string) bool {
	russian := false
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
			return false
		case r == '№' || r >= 'А' && r <= 'я' || r == 'ё' || r == 'Ё':
			russian = true
		}
	}
	return russian
}
