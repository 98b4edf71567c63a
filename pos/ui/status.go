package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
)

// age is "6 ч 39 мин".
func age(l Lang, d time.Duration) string {
	if d < 0 {
		d = 0
	}
	h, m := int(d.Hours()), int(d.Minutes())%60
	if l == English {
		return itoa(h) + " h " + itoa(m) + " min"
	}
	return itoa(h) + " ч " + itoa(m) + " мин"
}

func itoa(i int) string { return pos.Qty(i * 1000).String() }

// Start polls the status sources until ctx ends. Network and register state are gathered off the UI
// goroutine and applied with fyne.Do.
func (s *TillScreen) Start(ctx context.Context) {
	s.startDisplay(ctx)
	pollStatus(ctx, s.d.Sync, func(n int) bool { return n%5 == 0 && !s.Busy() }, s.till.RegisterState,
		func(_ int, info *SyncInfo, reg *registerAnswer) {
			if reg != nil {
				s.regState, s.regErr, s.regKnown = reg.st, reg.err, true
			}
			if info != nil {
				s.showSync(*info)
			}
			s.refreshHeader()
		})
}

// registerAnswer is one answer of the register to a status poll.
type registerAnswer struct {
	st  pos.RegisterState
	err error
}

// pollStatus is the status loop of the till and of the pickup desk: every second it reads the sync state
// (when syncState is not nil) and, on the ticks ask allows, the register's state, both off the UI
// goroutine, then hands them to apply on the UI goroutine with fyne.Do. reg is nil when the register was not
// asked, or when ctx ended while it was being asked.
func pollStatus(ctx context.Context, syncState func() SyncInfo, ask func(n int) bool,
	register func(context.Context) (pos.RegisterState, error), apply func(n int, info *SyncInfo, reg *registerAnswer)) {
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for n := 0; ; n++ {
			var info *SyncInfo
			if syncState != nil {
				i := syncState()
				info = &i
			}
			var st pos.RegisterState
			var err error
			askRegister := ask(n)
			if askRegister {
				rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				st, err = register(rctx)
				cancel()
			}
			fyne.Do(func() {
				var reg *registerAnswer
				if askRegister && ctx.Err() == nil {
					reg = &registerAnswer{st, err}
				}
				apply(n, info, reg)
			})
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
}

func (s *TillScreen) showSync(i SyncInfo) {
	txt := s.l.T("net.online")
	s.netLabel.Importance = widget.SuccessImportance
	switch {
	case i.Unauthorized:
		txt = s.l.T("net.unauth")
		s.netLabel.Importance = widget.DangerImportance
	case i.BadCert:
		txt = s.l.T("net.cert")
		s.netLabel.Importance = widget.DangerImportance
	case !i.Online:
		txt = s.l.T("net.offline")
		s.netLabel.Importance = widget.WarningImportance
	}
	if i.Unsent > 0 {
		txt += " · " + s.l.T("net.unsent", i.Unsent, age(s.l, s.d.Now().Sub(i.Oldest)))
	} else {
		txt += " · " + s.l.T("net.allsent")
	}
	if i.DeadLetters > 0 {
		txt += " · " + s.l.T("net.dead", i.DeadLetters)
	}
	if !i.LastSuccess.IsZero() {
		txt += " · " + s.l.T("net.last", stamp(i.LastSuccess, s.d.Now()))
	}
	s.netLabel.SetText(txt)
}

// showRegister puts the register's health in the header: waiting for the first answer, not answering, or
// ready with the ФН's warnings in words (replace soon, archive nearly full, ОФД not reached).
func showRegister(label *widget.Label, l Lang, known bool, err error, st pos.RegisterState) {
	switch {
	case !known:
		label.Importance = widget.MediumImportance
		label.SetText(l.T("kkt.wait"))
	case err != nil:
		label.Importance = widget.DangerImportance
		label.SetText(l.T("kkt.off"))
	default:
		label.Importance = widget.SuccessImportance
		txt := l.T("kkt.ok")
		if len(st.Warnings) > 0 {
			label.Importance = widget.WarningImportance
			txt += " · ⚠ " + strings.Join(st.Warnings, "; ")
		}
		label.SetText(txt)
	}
}
