package escpos

// Profile is what the byte stream depends on for one printer model.
type Profile struct {
	Name string
	// CodePage is the model's ESC t number for CP866 (17 on Epson and most 58 mm clones, 7 on Rongta RP326).
	CodePage byte
	// WidthDots is the printable width: 384 on 58 mm paper, 576 on 80 mm.
	WidthDots int
	// Columns is the number of Font A characters in a line: 32 on 58 mm, 48 on 80 mm.
	Columns int
	// NativeQR prints QR codes with GS ( k instead of a raster image (the printer's firmware draws them).
	NativeQR bool
	// CancelKanji sends FS . after init: Chinese clones may start in Kanji mode and would read two
	// Cyrillic bytes as one glyph.
	CancelKanji bool
}

// Named profiles of common models.
var (
	EpsonTMT20 = Profile{Name: "Epson TM-T20", CodePage: 17, WidthDots: 576, Columns: 48, NativeQR: true}
	Clone58    = Profile{Name: "58 mm clone (POS-5890, ZJ-5870)", CodePage: 17, WidthDots: 384, Columns: 32,
		CancelKanji: true}
	RongtaRP326 = Profile{Name: "Rongta RP326", CodePage: 7, WidthDots: 576, Columns: 48}
)

// Profiles lists the named profiles, for a settings screen.
func Profiles() []Profile { return []Profile{EpsonTMT20, Clone58, RongtaRP326} }

// ProfileByName finds a named profile.
func ProfileByName(name string) (Profile, bool) {
	for _, p := range Profiles() {
		if p.Name == name {
			return p, true
		}
	}
	return Profile{}, false
}

// normalized fills in what a zero profile leaves out, so that a Profile{} prints on a 58 mm Epson-like printer.
func (p Profile) normalized() Profile {
	if p.CodePage == 0 {
		p.CodePage = 17
	}
	if p.WidthDots <= 0 {
		p.WidthDots = 384
	}
	if p.Columns <= 0 {
		p.Columns = p.WidthDots / 12 // Font A is 12 dots wide
	}
	return p
}
