package fiscal

import (
	"context"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/pos"
)

// Tag 1212 (признак предмета расчета) of a position: goods, and goods with a marking code (ФФД 1.2 "ТМ";
// PROTOCOLS.md §5.2, unverified on real firmware).
const (
	objectGoods  = 1
	objectMarked = 33
)

// Values of the ОИСМ's answer (tags 2105 and 2109, ФФД 1.2).
const (
	requestBadFormat = 1 // 2105: the request was malformed
	requestBadCode   = 2 // 2105: the marking code was not recognised
	statusIncorrect  = 2 // 2109: the planned status is wrong (unknown code, sold already, withdrawn)
	statusSuspended  = 3 // 2109: the goods' circulation is suspended
)

// checkMark asks the ФН, and through it Честный знак, about a line's marking code (FF61) and accepts it
// (FF69) when the sale may go on. A code the ФН finds wrong or Честный знак forbids is rejected (FF69 with
// 0) and refused with a *pos.MarkingError saying why; the caller then cancels the receipt. With no answer
// from Честный знак (offline, server timeout) a code the ФН could not fault is sold: the law lets an
// offline till sell and the ФН reports the code later.
func (r *Register) checkMark(ctx context.Context, kind pos.SaleKind, l receiptLine) error {
	status := kkt.MarkPieceSold
	if kind == pos.KindRefund {
		status = kkt.MarkPieceReturned
	}
	var res kkt.MarkResult
	err := r.paper(ctx, func() (err error) {
		res, err = r.drv.CheckMark(ctx, kkt.MarkCheck{Code: l.line.Marking, PlannedStatus: status})
		return err
	})
	if err != nil {
		return mapErr("check marking code", err)
	}
	if reason := markRefusal(res); reason != "" {
		// Close the check before the receipt is cancelled; the cancel clears the ФН's table either way.
		_, _ = r.drv.AcceptMark(ctx, false)
		return &pos.MarkingError{Line: l.index, Name: l.line.Name, Code: l.line.Marking, Reason: reason,
			Result: res.Result}
	}
	if err := r.paper(ctx, func() error { _, err := r.drv.AcceptMark(ctx, true); return err }); err != nil {
		return mapErr("accept marking code", err)
	}
	return nil
}

// markRefusal says in Russian why a checked code may not be sold, or "" when it may.
func markRefusal(m kkt.MarkResult) string {
	fnChecked, fnRight := m.LocalStatus&kkt.MarkCheckedByFN != 0, m.LocalStatus&kkt.MarkFNPositive != 0
	answered := m.Online && m.OnlineCode != 0xFF
	if answered && m.OnlineCode == 0 {
		fnChecked, fnRight = m.Result&kkt.MarkCheckedByFN != 0, m.Result&kkt.MarkFNPositive != 0
	}
	switch {
	case m.LocalReason == 3:
		return "Код маркировки неполный или повреждён (нет криптоподписи): отсканируйте DataMatrix на упаковке ещё раз."
	case fnChecked && !fnRight:
		return "Код маркировки не прошёл проверку ФН: код неверный или поддельный."
	case !answered:
		return ""
	}
	request, status := byte(0), byte(0)
	for _, t := range m.ServerTLV {
		if len(t.Value) == 1 && t.Tag == kkt.TagMarkCheckCode {
			request = t.Value[0]
		}
		if len(t.Value) == 1 && t.Tag == kkt.TagOISMStatus {
			status = t.Value[0]
		}
	}
	switch {
	case request == requestBadCode:
		return "Честный знак не распознал код маркировки: код неверный."
	case request == requestBadFormat:
		return "Честный знак не принял запрос о коде маркировки: попробуйте ещё раз или отложите товар."
	case m.OnlineCode != 0 || m.Result&kkt.MarkCheckedByOIS == 0 || m.Result&kkt.MarkOISPositive != 0:
		return ""
	case status == statusIncorrect:
		return "Честный знак запрещает продажу: код не найден в системе или товар уже продан (выведен из оборота)."
	case status == statusSuspended:
		return "Честный знак запрещает продажу: оборот товара приостановлен."
	}
	return "Честный знак запрещает продажу этого товара."
}
