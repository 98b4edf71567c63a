package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
)

var cartColumns = []struct {
	key   string
	width float32
	align fyne.TextAlign
}{
	{"col.n", 44, fyne.TextAlignTrailing},
	{"col.name", 380, fyne.TextAlignLeading},
	{"col.price", 100, fyne.TextAlignTrailing},
	{"col.qty", 100, fyne.TextAlignTrailing},
	{"col.discount", 90, fyne.TextAlignTrailing},
	{"col.sum", 110, fyne.TextAlignTrailing},
}

// newCartTable is the receipt: a virtualised table whose selected row is highlighted whole (Fyne selects
// single cells) and whose cancelled lines stay visible, marked СТОРНО.
func (s *TillScreen) newCartTable() *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return len(s.lines), len(cartColumns) },
		func() fyne.CanvasObject {
			bg := canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
			return container.NewStack(bg, widget.NewLabel("Молоко Простоквашино 3,2% 930 мл"))
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			st := o.(*fyne.Container)
			bg, label := st.Objects[0].(*canvas.Rectangle), st.Objects[1].(*widget.Label)
			if id.Row >= len(s.lines) {
				return
			}
			l := s.lines[id.Row]
			label.Alignment = cartColumns[id.Col].align
			label.Importance = widget.MediumImportance
			if l.Cancelled {
				label.Importance = widget.LowImportance
			}
			label.Truncation = fyne.TextTruncateEllipsis
			label.SetText(s.cell(id.Row, id.Col, l))
			bg.Hidden = id.Row != s.selected
			bg.Refresh()
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			l := o.(*widget.Label)
			l.Alignment = cartColumns[id.Col].align
			l.SetText(s.l.T(cartColumns[id.Col].key))
		}
	}
	for i, c := range cartColumns {
		t.SetColumnWidth(i, c.width)
	}
	t.OnSelected = func(id widget.TableCellID) {
		s.selected = id.Row
		t.UnselectAll()
		t.Refresh()
		s.focusInput()
	}
	return t
}

func (s *TillScreen) cell(row, col int, l pos.Line) string {
	switch col {
	case 0:
		return itoa(row + 1)
	case 1:
		if l.Cancelled {
			return s.l.T("line.cancelled", l.CancelledAt.Format("15:04"), l.Name) + s.markBadge(l)
		}
		return l.Name + s.markBadge(l)
	case 2:
		return l.Price.String()
	case 3:
		return l.Qty.String() + " " + l.Unit.Short()
	case 4:
		if l.Discount == 0 {
			return ""
		}
		return "−" + l.Discount.String()
	default:
		if l.Cancelled {
			return "0,00"
		}
		return l.Sum.String()
	}
}

// moveSelection moves the selected line by delta (↑/↓, PgUp/PgDn).
func (s *TillScreen) moveSelection(delta int) {
	if len(s.lines) == 0 {
		return
	}
	s.selected = min(max(s.selected+delta, 0), len(s.lines)-1)
	s.table.Refresh()
	s.table.ScrollTo(widget.TableCellID{Row: s.selected, Col: 0})
}
