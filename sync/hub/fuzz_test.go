package hub_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

// FuzzEvents posts arbitrary bodies with a valid token: the handler must never panic and must always answer
// a documented status with a JSON body of the matching type.
func FuzzEvents(f *testing.F) {
	for _, tc := range eventCases {
		f.Add(tc.body)
	}
	th := newTestHub(f, hub.Options{MaxBody: 4096})
	f.Fuzz(func(t *testing.T, body string) {
		rec := th.post("Bearer "+th.token, body)
		switch rec.Code {
		case http.StatusOK:
			var res wire.BatchResult
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || res.Acked == nil {
				t.Fatalf("200 with body %q: %v", rec.Body, err)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			var e wire.Error
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
				t.Fatalf("%d with body %q: %v", rec.Code, rec.Body, err)
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}
