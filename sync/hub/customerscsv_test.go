package hub_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

var customersCases = []struct {
	name, file string
	n          int
	err        string
}{
	{"semicolons", "id;card;phone;name;tier;balance\nc1;2770000000015;+7 912 345-67-89;Анна Петрова;gold;1500.50\nc2;;;Олег;;0\n", 2, ""},
	{"commas and BOM", "\ufeffid,card,phone,name,tier,balance\nc1,2770000000015 2770000000022,89123456789,Анна Петрова,,-20\n", 1, ""},
	{"comment", "id;card;phone;name;tier;balance\n# выгрузка из CRM\nc1;;;Анна;;1\n", 1, ""},
	{"header only", "id;card;phone;name;tier;balance\n", 0, ""},
	{"bad header", "id;card;phone;name;balance\n", 0, "header"},
	{"empty", "", 0, "header"},
	{"duplicate id", "id;card;phone;name;tier;balance\nc1;;;А;;1\nc1;;;Б;;1\n", 0, "also on line 2"},
	{"bad phone", "id;card;phone;name;tier;balance\nc1;;12345;А;;1\n", 0, "line 2: phone"},
	{"bad balance", "id;card;phone;name;tier;balance\nc1;;;А;;1,5\n", 0, "balance"},
	{"short line", "id;card;phone;name;tier;balance\nc1;;;А;;\nc2;;\n", 0, "line 3"},
	{"empty id", "id;card;phone;name;tier;balance\n;;;А;;1\n", 0, "id"},
	{"not utf-8", "id;card;phone;name;tier;balance\nc1;;;\xff;;1\n", 0, "UTF-8"},
	{"offers column", "id;card;phone;name;tier;balance;offers\nc1;;;Анна;;1;o-milk -10% product=100002: −10 % на молоко | o2 x2 receipt min=1000:\nc2;;;Олег;;0;\n", 2, ""},
	{"offers quoted with the separator", "id,card,phone,name,tier,balance,offers\nc1,,,Анна,,1,\"o1 -5% group=1000: молоко, кефир\"\n", 1, ""},
	{"bad offer", "id;card;phone;name;tier;balance;offers\nc1;;;Анна;;1;o1 -200% receipt: т\n", 0, "line 2: offers"},
	{"offers column missing on a line", "id;card;phone;name;tier;balance;offers\nc1;;;Анна;;1\n", 0, "line 2"},
}

func TestReadCustomersCSV(t *testing.T) {
	for _, tc := range customersCases {
		t.Run(tc.name, func(t *testing.T) {
			list, err := hub.ReadCustomersCSV(strings.NewReader(tc.file), phoneKey)
			if tc.err != "" {
				if !errors.Is(err, hub.ErrCustomersFile) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want one about %q", err, tc.err)
				}
				return
			}
			if err != nil || len(list) != tc.n {
				t.Fatalf("%d customers, %v; want %d", len(list), err, tc.n)
			}
		})
	}
	list, _ := hub.ReadCustomersCSV(strings.NewReader(customersCases[0].file), phoneKey)
	hash, _ := wire.PhoneHash(phoneKey, "+79123456789")
	want := hub.CustomerImport{ID: "c1", Cards: []string{"2770000000015"}, PhoneHash: hash, Name: "Анна П.", Tier: "gold", Balance: 150050}
	if got := list[0]; got.ID != want.ID || got.PhoneHash != want.PhoneHash || got.Name != want.Name || got.Balance != want.Balance ||
		len(got.Cards) != 1 || got.Tier != "gold" {
		t.Errorf("customer %+v, want %+v", got, want)
	}
	if list, err := hub.ReadCustomersCSV(strings.NewReader(customersCases[len(customersCases)-4].file), phoneKey); err != nil ||
		len(list[0].Offers) != 2 || list[0].Offers[0].Text != "−10 % на молоко" || list[0].Offers[1].MinTotal != 100000 ||
		list[1].Offers != nil {
		t.Errorf("offers column read as %+v, %v", list, err)
	}
	if strings.Contains(mustJSON(list), "Петрова") || strings.Contains(mustJSON(list), "912") {
		t.Errorf("name or phone kept in clear: %s", mustJSON(list))
	}
}

func FuzzReadCustomersCSV(f *testing.F) {
	for _, tc := range customersCases {
		f.Add(tc.file)
	}
	f.Fuzz(func(t *testing.T, file string) {
		list, err := hub.ReadCustomersCSV(strings.NewReader(file), phoneKey)
		if err != nil {
			if !errors.Is(err, hub.ErrCustomersFile) {
				t.Fatalf("error %v does not wrap ErrCustomersFile", err)
			}
			return
		}
		for _, c := range list {
			if c.ID == "" || c.PhoneHash != "" && len(c.PhoneHash) != 64 {
				t.Fatalf("customer %+v", c)
			}
		}
	})
}
