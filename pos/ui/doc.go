// Package ui holds Kassa's Fyne screens. They talk to the use cases (pos/checkout) and to small status
// sources declared here, never to the store, the serial ports or the network. Every change made from
// another goroutine goes through fyne.Do; long work (the register) never runs on the UI goroutine.
package ui
