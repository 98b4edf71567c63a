package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/pickup"
)

// column is a table column: its width (the least, for a flexible one), alignment, and its share of the
// width the fixed columns leave (0: fixed).
type column struct {
	key   string
	width float32
	align fyne.TextAlign
	flex  float32
}

var listColumns = []column{
	{"pk.col.order", 90, fyne.TextAlignLeading, 0},
	{"pk.col.state", 120, fyne.TextAlignLeading, 0},
	{"pk.col.customer", 100, fyne.TextAlignLeading, 1},
	{"pk.col.phone", 88, fyne.TextAlignLeading, 0},
	{"pk.col.items", 44, fyne.TextAlignTrailing, 0},
	{"pk.col.sum", 92, fyne.TextAlignTrailing, 0},
	{"pk.col.pay", 160, fyne.TextAlignLeading, 1},
	{"pk.col.waits", 90, fyne.TextAlignTrailing, 0},
	{"pk.col.until", 112, fyne.TextAlignLeading, 0},
}

var lineColumns = []column{
	{"col.n", 40, fyne.TextAlignTrailing, 0},
	{"pk.col.item", 260, fyne.TextAlignLeading, 3},
	{"col.price", 90, fyne.TextAlignTrailing, 0},
	{"pk.col.qty", 80, fyne.TextAlignTrailing, 0},
	{"pk.col.scanned", 90, fyne.TextAlignTrailing, 0},
	{"pk.col.state", 200, fyne.TextAlignLeading, 2},
}

// fitColumns lays a table out across the width it gets: the flexible columns share what the fixed ones
// leave, so the table neither scrolls sideways when it has room nor cuts a column's text. Below the columns'
// least widths it scrolls.
type fitColumns struct {
	t      *widget.Table
	cols   []column
	width  float32   // the width the columns were last fitted to
	widths []float32 // the columns' widths then
}

// fitted wraps t in a container that fits its columns to the container's width.
func fitted(t *widget.Table, cols []column) *fyne.Container {
	return container.New(&fitColumns{t: t, cols: cols}, t)
}

func (f *fitColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != f.width {
		f.width = size.Width
		f.widths = columnWidths(f.cols, size.Width, f.t.Theme().Size(theme.SizeNamePadding))
		for i, w := range f.widths {
			f.t.SetColumnWidth(i, w)
		}
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (f *fitColumns) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

// columnWidths shares width among cols: each column is separated by pad, flexible columns get their share
// of what is left beyond their least width.
func columnWidths(cols []column, width, pad float32) []float32 {
	out := make([]float32, len(cols))
	left, shares := width-pad*float32(len(cols))-1, float32(0) // the table leaves pad after every column
	for i, c := range cols {
		out[i] = c.width
		left -= c.width
		shares += c.flex
	}
	if left <= 0 || shares == 0 {
		return out
	}
	for i, c := range cols {
		out[i] += float32(int(left * c.flex / shares))
	}
	return out
}

// newTable is a virtualised table with a whole-row highlight of the selected row (Fyne selects cells).
func newTable(l Lang, cols []column, rows func() int, selected func() int, cell func(row, col int) (string, widget.Importance),
	onSelect func(row int)) *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return rows(), len(cols) },
		func() fyne.CanvasObject {
			bg := canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
			return container.NewStack(bg, widget.NewLabel("Молоко Простоквашино 3,2% 930 мл"))
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			st := o.(*fyne.Container)
			bg, label := st.Objects[0].(*canvas.Rectangle), st.Objects[1].(*widget.Label)
			if id.Row >= rows() {
				return
			}
			text, imp := cell(id.Row, id.Col)
			label.Alignment, label.Importance, label.Truncation = cols[id.Col].align, imp, fyne.TextTruncateEllipsis
			label.SetText(text)
			bg.Hidden = id.Row != selected()
			bg.Refresh()
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			lb := o.(*widget.Label)
			lb.Alignment = cols[id.Col].align
			lb.SetText(l.T(cols[id.Col].key))
		}
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width) // fitColumns widens the flexible ones to the width the table gets
	}
	t.OnSelected = func(id widget.TableCellID) {
		onSelect(id.Row)
		t.UnselectAll()
		t.Refresh()
	}
	return t
}

func (s *PickupScreen) newListTable() *widget.Table {
	return newTable(s.l, listColumns, func() int { return len(s.listing.Orders) }, func() int { return s.selOrder },
		s.listCell, func(row int) { s.selOrder = row; s.focusInput() })
}

func (s *PickupScreen) newLineTable() *widget.Table {
	rows := func() int {
		if s.v == nil {
			return 0
		}
		return len(s.v.Lines)
	}
	return newTable(s.l, lineColumns, rows, func() int { return s.selLine }, s.lineCell,
		func(row int) { s.selLine = row; s.focusInput() })
}

func (s *PickupScreen) listCell(row, col int) (string, widget.Importance) {
	o := s.listing.Orders[row]
	now := s.d.Now()
	switch col {
	case 0:
		return o.Number, widget.MediumImportance
	case 1:
		switch {
		case o.State == pickup.StateInProgress:
			return s.l.T("pk.state.progress"), widget.WarningImportance
		case s.desk.Overdue(o):
			return s.l.T("pk.state.overdue"), widget.DangerImportance
		}
		return s.l.T("pk.state.ready"), widget.SuccessImportance
	case 2:
		return o.Customer, widget.MediumImportance
	case 3:
		return maskedPhone(o.PhoneLast4), widget.MediumImportance
	case 4:
		return itoa(len(o.Lines)), widget.MediumImportance
	case 5:
		return o.Total.String(), widget.MediumImportance
	case 6:
		return s.payText(o), widget.MediumImportance
	case 7:
		return waited(s.l, o.Age(now)), widget.MediumImportance
	}
	if o.ExpiresAt.IsZero() {
		return "", widget.MediumImportance
	}
	imp := widget.MediumImportance
	if o.Expired(now) {
		imp = widget.DangerImportance
	}
	return o.ExpiresAt.In(now.Location()).Format("02.01 15:04"), imp
}

// maskedPhone shows only the last two digits: the staff checks the four the customer says, the screen
// does not tell them.
func maskedPhone(last4 string) string {
	if len(last4) < 2 {
		return "•••-••-••"
	}
	return "•••-••-••" + last4[len(last4)-2:]
}

// waited is how long an order has waited: "40 мин", "6 ч 5 мин", "3 дн 4 ч".
func waited(l Lang, d time.Duration) string {
	if d < 24*time.Hour {
		return age(l, d)
	}
	n, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	if l == English {
		return itoa(n) + " d " + itoa(h) + " h"
	}
	return itoa(n) + " дн " + itoa(h) + " ч"
}

// payText is the list's payment column: what is left to pay, short enough for the column ("доплата" when
// part was paid online; the open order's header gives both amounts).
func (s *PickupScreen) payText(o pickup.Order) string {
	switch {
	case o.Due() == 0:
		return s.l.T("pk.paid.online")
	case o.Prepaid == 0:
		return s.l.T("pk.paid.due", o.Due().String())
	}
	return s.l.T("pk.paid.part", o.Due().String())
}

func (s *PickupScreen) lineCell(row, col int) (string, widget.Importance) {
	l := s.v.Lines[row]
	qty := func(q pos.Qty) string { return q.String() + " " + l.Unit.Short() }
	switch col {
	case 0:
		return itoa(row + 1), widget.MediumImportance
	case 1:
		name := l.Name
		if l.Marked {
			name += "  [КМ]"
		}
		if l.AgeRestricted() {
			name += "  " + s.l.T("age.badge")
		}
		return name, widget.MediumImportance
	case 2:
		return l.Price.String(), widget.MediumImportance
	case 3:
		return qty(l.Qty), widget.MediumImportance
	case 4:
		if l.Weighed() {
			return map[bool]string{true: "✓", false: "—"}[l.Done() && l.ToHand() > 0], widget.MediumImportance
		}
		return fmt.Sprintf("%s/%s", l.Scanned, l.ToHand()), widget.MediumImportance
	}
	return s.lineState(l)
}

// lineState is the status column: what is left to do with the line, coloured.
func (s *PickupScreen) lineState(l pickup.LineCheck) (string, widget.Importance) {
	refused := ""
	if l.Refused > 0 {
		reason := l.Reason
		if reason == "" {
			reason = "—"
		}
		if l.ToHand() == 0 {
			return s.l.T("pk.line.refused", reason), widget.DangerImportance
		}
		refused = s.l.T("pk.line.part", l.Refused.String(), reason)
	}
	switch {
	case l.Done():
		return refused + s.l.T("pk.line.ok"), widget.SuccessImportance
	case l.Weighed():
		return refused + s.l.T("pk.line.weighed"), widget.MediumImportance
	case l.Scanned > 0 || l.Refused > 0:
		return refused + s.l.T("pk.line.more", (l.ToHand()-l.Scanned).String()), widget.WarningImportance
	}
	return s.l.T("pk.line.more", l.ToHand().String()), widget.MediumImportance
}

// showOrder fills the order's header and the summary line.
func (s *PickupScreen) showOrder() {
	v, now := s.v, s.d.Now()
	o := v.Order
	until := o.ExpiresAt.In(now.Location()).Format("02.01")
	switch {
	case v.Resume != nil:
		s.orderTitle.SetText(s.l.T("pk.order.resume", o.Number))
		s.orderTitle.Importance = widget.WarningImportance
	case s.desk.Overdue(o):
		s.orderTitle.SetText(s.l.T("pk.order.overdue", o.Number, until, age(s.l, o.Age(now))))
		s.orderTitle.Importance = widget.DangerImportance
	default:
		s.orderTitle.SetText(s.l.T("pk.order", o.Number, until, days(s.l, o.ExpiresAt.Sub(now))))
		s.orderTitle.Importance = widget.SuccessImportance
	}
	s.orderTitle.Refresh()
	via := s.l.T("pk.via.number")
	if v.Via == pickup.ViaQR {
		via = s.l.T("pk.via.qr")
	}
	s.orderInfo.SetText(s.l.T("pk.customer", o.Customer, maskedPhone(o.PhoneLast4), via))
	switch {
	case o.Due() == 0:
		s.orderPay.SetText(s.l.T("pk.pay.full", o.Prepaid.String()))
	case o.Prepaid == 0:
		s.orderPay.SetText(s.l.T("pk.pay.none", o.Due().String()))
	default:
		s.orderPay.SetText(s.l.T("pk.pay.part", o.Prepaid.String(), o.Due().String()))
	}
	var warn []string
	for _, l := range o.Lines {
		if l.Marked {
			warn = append(warn, s.l.T("pk.marked"))
			break
		}
	}
	if w := s.ageWarning(v); w != "" {
		warn = append(warn, w)
	}
	s.orderWarn.SetText(strings.Join(warn, "\n"))
	s.orderWarn.Hidden = len(warn) == 0
	s.orderWarn.Refresh()
	a := v.Amounts()
	toHand, scanned, refused := v.Counts()
	txt := s.l.T("pk.summary", toHand, toHand+refused, scanned, refused, a.Due.String())
	if a.Refund > 0 {
		txt += s.l.T("pk.summary.refund", a.Refund.String())
	}
	s.summary.SetText(txt)
}

// days is "2 дн" (or hours under a day) for the storage time left.
func days(l Lang, d time.Duration) string {
	if d < 24*time.Hour {
		return age(l, d)
	}
	n := int(d / (24 * time.Hour))
	if l == English {
		return itoa(n) + " d"
	}
	return itoa(n) + " дн"
}
