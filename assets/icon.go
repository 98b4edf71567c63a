package assets

import (
	_ "embed"
)

// IconPNG is the application icon (window, package).
//
//go:embed Icon.png
var IconPNG []byte
