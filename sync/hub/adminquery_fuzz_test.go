package hub_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
)

// adminGets are the admin API's GET endpoints that read query parameters.
var adminGets = []string{"/v1/admin/report", "/v1/admin/audit", "/v1/admin/pickup-conflicts"}

// FuzzAdminQueries sends arbitrary raw query strings (not only well-formed ones: bad escapes, repeated
// and empty keys) to every admin GET endpoint: always a JSON 200 or a 400 with a reason, never a panic.
func FuzzAdminQueries(f *testing.F) {
	for _, tc := range reportQueries {
		f.Add(strings.TrimPrefix(tc.query, "?"))
	}
	for _, q := range []string{"", "store=s1", "store=s1&from=2026-03-01&to=2026-03-02", "from=2026-13-45",
		"to=yesterday", "store=%zz", "store=s1&store=s2", "zone=Europe/Nowhere", "from=&to=&store=",
		"from=2026-03-02T09:00:00Z&to=2026-03-01T09:00:00Z", ";;&&=="} {
		f.Add(q)
	}
	th := newTestHub(f, hub.Options{})
	f.Fuzz(func(t *testing.T, query string) {
		if strings.IndexFunc(query, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '#' }) >= 0 {
			return // not a request line a client can send
		}
		for _, path := range adminGets {
			rec := th.do(http.MethodGet, path+"?"+query, "ADMIN", "")
			var answer any
			checkAnswer(t, rec.Code, rec.Body.Bytes(), &answer, http.StatusOK, http.StatusBadRequest)
		}
	})
}
