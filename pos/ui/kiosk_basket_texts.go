package ui

// kioskBasketTexts are the kiosk basket's texts for weighed goods, which go in by their scale label.
var kioskBasketTexts = map[string][2]string{
	"kiosk.basket.kg": {"%s ₽/кг × %s кг = %s ₽", "%s ₽/kg × %s kg = %s ₽"},
	"kiosk.basket.weighlabel": {"Весовой товар: отсканируйте этикетку с весов — вес попадёт в корзину",
		"Sold by weight: scan the label from the scales to put its weight in the basket"},
}

func init() {
	for k, v := range kioskBasketTexts {
		texts[k] = v
	}
}
