package hub_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// analyticsCases are analytics payloads of till-1 (store s1) and whether the hub stores them (want "")
// or rejects them with a reason containing want. FuzzAnalyticsEvent starts from them.
var analyticsCases = []struct {
	name, payload, want string
}{
	{"kiosk view", `{"kind":"kiosk_view","at":"2026-03-14T10:00:00Z","product":"100001"}`, ""},
	{"basket created", `{"kind":"basket_created","at":"2026-03-14T10:00:00Z","basket":"B1","amount":11980}`, ""},
	{"basket redeemed", `{"kind":"basket_redeemed","store":"s1","at":"2026-03-14T10:00:00Z","basket":"B1","sale":"S1","via":"qr"}`, ""},
	{"continue online", `{"kind":"continue_online","at":"2026-03-14T10:00:00Z"}`, ""},
	{"pickup handed out", `{"kind":"pickup_handed_out","at":"2026-03-14T10:00:00Z","order":"po-1","wait":5400000000000,"via":"number"}`, ""},
	{"loyalty recognised", `{"kind":"loyalty_recognised","via":"app_qr"}`, ""},
	{"unknown kind", `{"kind":"page_view","product":"1"}`, "unknown analytics kind"},
	{"no kind", `{"product":"1"}`, "unknown analytics kind"},
	{"phone", `{"kind":"loyalty_recognised","via":"phone","phone":"+79123456789"}`, `unknown field "phone"`},
	{"customer", `{"kind":"loyalty_recognised","customer":"c1"}`, `unknown field "customer"`},
	{"e-mail", `{"kind":"basket_created","basket":"B1","email":"a@b.ru"}`, `unknown field "email"`},
	{"free text via", `{"kind":"loyalty_recognised","via":"Анна Петрова"}`, "analytics via"},
	{"id with spaces", `{"kind":"kiosk_view","product":"Анна Петрова"}`, "analytics product must be an id"},
	{"long id", `{"kind":"kiosk_view","product":"` + strings.Repeat("9", 129) + `"}`, "analytics product must be an id"},
	{"view without product", `{"kind":"kiosk_view"}`, "needs a product"},
	{"basket without id", `{"kind":"basket_redeemed","sale":"S1"}`, "needs a basket"},
	{"hand-over without order", `{"kind":"pickup_handed_out","wait":1}`, "needs a order"},
	{"negative wait", `{"kind":"pickup_handed_out","order":"po-1","wait":-1}`, "wait out of range"},
	{"wait of years", `{"kind":"pickup_handed_out","order":"po-1","wait":40000000000000000}`, "wait out of range"},
	{"negative amount", `{"kind":"basket_created","basket":"B1","amount":-5}`, "amount out of range"},
	{"other store", `{"kind":"kiosk_view","store":"s2","product":"1"}`, "not the terminal's store"},
	{"year 1", `{"kind":"kiosk_view","product":"1","at":"0001-01-01T00:00:01Z"}`, "at out of range"},
	{"wrong type", `{"kind":"kiosk_view","product":100001}`, "analytics payload"},
}

func TestAnalyticsEvents(t *testing.T) {
	th := newTestHub(t, hub.Options{})
	for i, tc := range analyticsCases {
		t.Run(tc.name, func(t *testing.T) {
			id := fmt.Sprint("an", i)
			rec := th.post("TOKEN", batchJSON(eventJSON(id, uint64(i+1), wire.TypeAnalytics, tc.payload)))
			var res wire.BatchResult
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != http.StatusOK {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			switch {
			case tc.want == "" && (len(res.Acked) != 1 || len(res.Rejected) != 0):
				t.Errorf("not stored: %+v", res)
			case tc.want != "" && (len(res.Rejected) != 1 || !strings.Contains(res.Rejected[0].Reason, tc.want)):
				t.Errorf("answer %+v, want a rejection about %q", res, tc.want)
			}
		})
	}
	// What was stored is what the report reads.
	var kinds []string
	err := th.st.ScanEvents(ctx, "s1", t0.AddDate(0, 0, -1), t0.AddDate(0, 0, 1), []string{wire.TypeAnalytics}, func(e hub.StoredEvent) error {
		var a wire.Analytics
		err := json.Unmarshal(e.Payload, &a)
		kinds = append(kinds, a.Kind)
		return err
	})
	if err != nil || len(kinds) != 6 {
		t.Errorf("scanned analytics kinds %v, %v; want the 6 stored", kinds, err)
	}
}

// FuzzAnalyticsEvent posts arbitrary analytics payloads: the hub answers 200 and stores or rejects each.
func FuzzAnalyticsEvent(f *testing.F) {
	for _, tc := range analyticsCases {
		f.Add(tc.payload)
	}
	th := newTestHub(f, hub.Options{MaxBody: 8192})
	seq := uint64(0)
	f.Fuzz(func(t *testing.T, payload string) {
		seq++
		body, _ := json.Marshal(wire.Batch{Events: []wire.Event{{ID: fmt.Sprint("fz", seq), Seq: seq, Type: wire.TypeAnalytics,
			Terminal: "till-1", At: t0, Payload: json.RawMessage(payload)}}})
		rec := th.post("TOKEN", string(body))
		var res wire.BatchResult
		checkAnswer(t, rec.Code, rec.Body.Bytes(), &res, http.StatusOK, http.StatusBadRequest)
		if rec.Code == http.StatusOK && len(res.Acked)+len(res.Rejected) != 1 {
			t.Fatalf("event neither acked nor rejected: %s", rec.Body)
		}
	})
}

// reportQueries are GET /v1/admin/report exchanges on the scenario's hub; FuzzReportQuery starts from them.
var reportQueries = []struct {
	name, query, auth string
	want              int
	q                 hub.ReportQuery // for 200: the report the answer must equal
}{
	{"period", "?from=2026-03-13&to=2026-03-15", "ADMIN", 200, hub.ReportQuery{From: "2026-03-13", To: "2026-03-15"}},
	{"store and zone", "?store=s1&from=2026-03-13&to=2026-03-13&zone=UTC", "ADMIN", 200,
		hub.ReportQuery{Store: "s1", From: "2026-03-13", To: "2026-03-13", Zone: "UTC"}},
	{"everything", "", "ADMIN", 200, hub.ReportQuery{}},
	{"empty", "?store=nowhere", "ADMIN", 200, hub.ReportQuery{Store: "nowhere"}},
	{"bad day", "?from=13.03.2026", "ADMIN", 400, hub.ReportQuery{}},
	{"reversed", "?from=2026-03-15&to=2026-03-13", "ADMIN", 400, hub.ReportQuery{}},
	{"bad zone", "?zone=Nowhere/City", "ADMIN", 400, hub.ReportQuery{}},
	{"terminal token", "", "TOKEN", 401, hub.ReportQuery{}},
	{"no token", "", "", 401, hub.ReportQuery{}},
}

func TestAdminReport(t *testing.T) {
	th := newReportHub(t)
	for _, tc := range reportQueries {
		t.Run(tc.name, func(t *testing.T) {
			rec := th.do(http.MethodGet, "/v1/admin/report"+tc.query, tc.auth, "")
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if tc.want != http.StatusOK {
				var e wire.Error
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
					t.Errorf("error body %s", rec.Body)
				}
				return
			}
			var got wire.Report
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			want, err := hub.BuildReport(ctx, th.st, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("answer %s\nwant %+v", rec.Body, want)
			}
		})
	}
	off := newTestHub(t, hub.Options{AdminTokens: []string{}})
	if rec := off.do(http.MethodGet, "/v1/admin/report", "ADMIN", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("admin API without tokens: %d", rec.Code)
	}
}

// FuzzReportQuery sends arbitrary parameters: always a 200 report or a 400 with a reason.
func FuzzReportQuery(f *testing.F) {
	for _, tc := range reportQueries {
		v, err := url.ParseQuery(strings.TrimPrefix(tc.query, "?"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(v.Get("store"), v.Get("from"), v.Get("to"), v.Get("zone"))
	}
	th := newReportHub(f)
	f.Fuzz(func(t *testing.T, store, from, to, zone string) {
		q := url.Values{"store": {store}, "from": {from}, "to": {to}, "zone": {zone}}
		rec := th.do(http.MethodGet, "/v1/admin/report?"+q.Encode(), "ADMIN", "")
		var rep wire.Report
		checkAnswer(t, rec.Code, rec.Body.Bytes(), &rep, http.StatusOK, http.StatusBadRequest)
	})
}
