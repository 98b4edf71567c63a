package store

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// How a typed query matches product names (the name index and SearchProducts use these same rules):
//
//   - Folding: letters are lower-cased and ё is read as е («ЁЖИК» is «ежик»).
//   - Words: a name and a query are cut into words, each a run of letters or a run of digits; everything
//     else separates words, and so does a change from letters to digits («0,5л» is «0», «5», «л»;
//     «3,2%» is «3», «2»).
//   - Endings: a query word written in Cyrillic loses one common Russian inflectional ending (the longest
//     of stemEndings that leaves at least minStem letters): «молока» and «молоко» become «молок»,
//     «яблочный» becomes «яблочн», «сыра» becomes «сыр». Names are indexed unchanged.
//   - Match: a product matches when every query word (after the ending rule) is the beginning of some
//     word of its name, in any order. So «молок прост» finds «Молоко Простоквашино», «сок яблоч» finds
//     «Сок яблочный», «молочный» finds «молочная» and «молочного», a word still being typed («прос»)
//     matches as a prefix, and «вода» (stem «вод») also lists «водка»: a further word narrows it.
//     Derived words with a changed stem are not matched: «молоко» does not find «молочный».

// minStem is the fewest letters an ending may leave: «сок» and «чай» stay whole.
const minStem = 3

// stemEndings are the adjective, noun and verb-form endings removed from a query word, longest first.
var stemEndings = []string{
	"ыми", "ими", "ами", "ями", "ого", "его", "ому", "ему",
	"ая", "яя", "ое", "ее", "ые", "ие", "ый", "ий", "ой", "ей", "ом", "ем", "ам", "ям", "ах", "ях",
	"ов", "ев", "ую", "юю", "ых", "их", "ым", "им",
	"а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й",
}

// foldRune lower-cases r, reads ё as е, and tells letters (1) from digits (2) from separators (0). ASCII
// and Russian letters take a fast path: a million names are folded when a catalog is first pulled.
func foldRune(r rune) (rune, int) {
	switch {
	case r >= 'a' && r <= 'z', r >= 'а' && r <= 'я' && r != 'ё':
		return r, 1
	case r >= '0' && r <= '9':
		return r, 2
	case r >= 'A' && r <= 'Z', r >= 'А' && r <= 'Я':
		return r + 32, 1
	case r == 'ё' || r == 'Ё':
		return 'е', 1
	case r < 0x80:
		return r, 0
	case unicode.IsLetter(r):
		if r = unicode.ToLower(r); r == 'ё' {
			r = 'е'
		}
		return r, 1
	case unicode.IsDigit(r):
		return r, 2
	}
	return r, 0
}

// eachWord calls fn with every word of s folded, in order (repeats included). The word aliases a buffer
// that fn must not keep. Two-byte runes (Russian letters) are decoded and encoded inline: a million names
// are folded when a catalog is first pulled.
func eachWord(s []byte, buf []byte, fn func(word []byte)) []byte {
	buf = buf[:0]
	class := 0
	for len(s) > 0 {
		r, size := rune(s[0]), 1
		if r >= utf8.RuneSelf {
			if r&0xE0 == 0xC0 && r >= 0xC2 && len(s) > 1 && s[1]&0xC0 == 0x80 {
				r, size = (r&0x1F)<<6|rune(s[1]&0x3F), 2
			} else {
				r, size = utf8.DecodeRune(s)
			}
		}
		s = s[size:]
		r, c := foldRune(r)
		if c != class && len(buf) > 0 {
			fn(buf)
			buf = buf[:0]
		}
		class = c
		switch {
		case c == 0:
		case r < utf8.RuneSelf:
			buf = append(buf, byte(r))
		case r < 0x800:
			buf = append(buf, 0xC0|byte(r>>6), 0x80|byte(r)&0x3F)
		default:
			buf = utf8.AppendRune(buf, r)
		}
	}
	if len(buf) > 0 {
		fn(buf)
	}
	return buf
}

// nameWords returns the distinct folded words of a name, as the index stores them.
func nameWords(name string) []string {
	var out []string
	eachWord([]byte(name), nil, func(w []byte) {
		for _, o := range out {
			if o == string(w) {
				return
			}
		}
		out = append(out, string(w))
	})
	return out
}

// queryTerms returns the prefixes a query's words must begin name words with: folded, endings removed,
// duplicates and terms implied by a longer one («мол» beside «молок») dropped.
func queryTerms(query string) []string {
	var terms []string
	eachWord([]byte(query), nil, func(w []byte) { terms = append(terms, stem(string(w))) })
	out := terms[:0]
	for i, t := range terms {
		implied := false
		for j, u := range terms {
			if i != j && strings.HasPrefix(u, t) && (len(u) > len(t) || j < i) {
				implied = true
				break
			}
		}
		if !implied {
			out = append(out, t)
		}
	}
	return out
}

// stem removes one inflectional ending from a folded Cyrillic word (see the rules above).
func stem(w string) string {
	if !isCyrillic(w) {
		return w
	}
	n := utf8.RuneCountInString(w)
	for _, e := range stemEndings {
		if strings.HasSuffix(w, e) && n-utf8.RuneCountInString(e) >= minStem {
			return w[:len(w)-len(e)]
		}
	}
	return w
}

func isCyrillic(w string) bool {
	for _, r := range w {
		if !unicode.Is(unicode.Cyrillic, r) {
			return false
		}
	}
	return w != ""
}

// matchesTerms reports whether every term begins some word of the name.
func matchesTerms(name []byte, terms []string, buf []byte) (bool, []byte) {
	found := make([]bool, len(terms))
	left := len(terms)
	buf = eachWord(name, buf, func(w []byte) {
		for i, t := range terms {
			if !found[i] && len(w) >= len(t) && string(w[:len(t)]) == t {
				found[i] = true
				left--
			}
		}
	})
	return left == 0, buf
}
