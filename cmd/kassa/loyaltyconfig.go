package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/loyalty"
)

// LoyaltyConfig is the [loyalty] section: the loyalty programme at the till. Settings left out keep the
// demo programme's (loyalty.DefaultRules):
//
//	[loyalty]
//	card_prefixes = ["2700000"]                       # EAN-13 ranges of the chain's cards
//	earn = { default = 1, silver = 3, gold = 5 }      # per cent of the paid sum, by tier
//	redeem_share = 50                                 # per cent of a receipt points may pay
//	offline_limit = "500"                             # rubles of points per receipt offline; "0" forbids
//	redeem_step = "1"                                 # "1" whole rubles, "0.01" kopecks
type LoyaltyConfig struct {
	Enabled      bool               `toml:"enabled"`
	CardPrefixes []string           `toml:"card_prefixes"`
	Earn         map[string]float64 `toml:"earn"`
	RedeemShare  *float64           `toml:"redeem_share"`
	OfflineLimit string             `toml:"offline_limit"`
	RedeemStep   string             `toml:"redeem_step"`
}

// options turns the section into the terminal's loyalty options, checking every value.
func (l LoyaltyConfig) options() (terminal.LoyaltyOptions, error) {
	if !l.Enabled {
		return terminal.LoyaltyOptions{Off: true}, nil
	}
	rules := loyalty.DefaultRules()
	if l.Earn != nil {
		rules.Earn = map[string]loyalty.Percent{}
		for tier, p := range l.Earn {
			v, err := percent("earn."+tier, p)
			if err != nil {
				return terminal.LoyaltyOptions{}, err
			}
			if tier = strings.ToLower(strings.TrimSpace(tier)); tier == "default" {
				tier = ""
			}
			rules.Earn[tier] = v
		}
	}
	if l.RedeemShare != nil {
		v, err := percent("redeem_share", *l.RedeemShare)
		if err != nil {
			return terminal.LoyaltyOptions{}, err
		}
		rules.RedeemShare = v
	}
	for _, m := range []struct {
		name, text string
		to         *pos.Money
	}{{"offline_limit", l.OfflineLimit, &rules.OfflineLimit}, {"redeem_step", l.RedeemStep, &rules.Step}} {
		if m.text == "" {
			continue
		}
		v, err := pos.ParseMoney(m.text)
		if err != nil {
			return terminal.LoyaltyOptions{}, fmt.Errorf("config: loyalty %s %q: %w", m.name, m.text, err)
		}
		*m.to = v
	}
	if err := rules.Validate(); err != nil {
		return terminal.LoyaltyOptions{}, fmt.Errorf("config: loyalty: %w", err)
	}
	if len(l.CardPrefixes) > 0 {
		if _, err := barcode.LoyaltyRecognizer(l.CardPrefixes); err != nil {
			return terminal.LoyaltyOptions{}, fmt.Errorf("config: loyalty card_prefixes: %w", err)
		}
	}
	return terminal.LoyaltyOptions{Rules: &rules, CardPrefixes: l.CardPrefixes}, nil
}

// percent reads a per cent written in the config (2.5 is 2,5 %) to hundredths.
func percent(name string, f float64) (loyalty.Percent, error) {
	if math.IsNaN(f) || f < 0 || f > 100 {
		return 0, fmt.Errorf("config: loyalty %s = %v is not a per cent from 0 to 100", name, f)
	}
	return loyalty.Percent(math.Round(f * 100)), nil
}
