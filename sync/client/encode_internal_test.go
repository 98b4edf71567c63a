package client

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/sync/wire"
)

var encodeCases = []struct {
	name   string
	events []wire.Event
}{
	{"probe", nil},
	{"one sale", []wire.Event{{ID: "0190a3b4-0000-7000-8000-000000000001", Seq: 1, Type: wire.TypeSale, Terminal: "till-1",
		At: time.Date(2026, 3, 14, 10, 30, 0, 123, time.UTC), Payload: json.RawMessage(`{"id":"s1","total":8990,"lines":[{"name":"Молоко"}]}`)}}},
	{"escapes and zones", []wire.Event{
		{ID: `quote"and\slash`, Seq: 2, Type: wire.TypeShiftOpen, Terminal: "касса <1> & \u2028",
			At: time.Date(2026, 3, 14, 13, 0, 0, 0, time.FixedZone("MSK", 3*3600)), Payload: json.RawMessage(`{"number":1}`)},
		{ID: "e3", Seq: 3, Type: wire.TypeShiftClose, Terminal: "t", Payload: nil},
	}},
}

// encodeBatch writes exactly what json.Marshal writes for a batch of compact payloads.
func TestEncodeBatch(t *testing.T) {
	for _, tt := range encodeCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := encodeBatch(tt.events)
			if err != nil {
				t.Fatal(err)
			}
			evs := tt.events
			if evs == nil {
				evs = []wire.Event{}
			}
			for i := range evs {
				if evs[i].Payload == nil {
					evs[i].Payload = json.RawMessage("null")
				}
			}
			want, err := json.Marshal(wire.Batch{Events: evs})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("encodeBatch\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func FuzzEncodeBatch(f *testing.F) {
	for _, tt := range encodeCases {
		for _, ev := range tt.events {
			f.Add(ev.ID, ev.Type, ev.Terminal, ev.Seq, []byte(ev.Payload))
		}
	}
	f.Fuzz(func(t *testing.T, id, typ, terminal string, seq uint64, payload []byte) {
		var compact bytes.Buffer
		if json.Compact(&compact, payload) != nil {
			return // the outbox only holds what json.Marshal wrote
		}
		ev := wire.Event{ID: id, Seq: seq, Type: typ, Terminal: terminal, Payload: compact.Bytes()}
		got, err := encodeBatch([]wire.Event{ev})
		if err != nil {
			t.Fatal(err)
		}
		var back wire.Batch
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%s does not decode: %v", got, err)
		}
		want := []wire.Event{ev}
		if len(want[0].Payload) == 0 {
			want[0].Payload = json.RawMessage("null")
		}
		// encoding/json replaces invalid UTF-8 with U+FFFD on the way out, so compare what it would send.
		var viaMarshal wire.Batch
		ref, _ := json.Marshal(wire.Batch{Events: want})
		if err := json.Unmarshal(ref, &viaMarshal); err != nil {
			t.Fatal(err)
		}
		// json.Marshal also HTML-escapes inside payloads (& as \u0026); the values are the same.
		var gotPayload, wantPayload any
		_ = json.Unmarshal(back.Events[0].Payload, &gotPayload)
		_ = json.Unmarshal(viaMarshal.Events[0].Payload, &wantPayload)
		back.Events[0].Payload, viaMarshal.Events[0].Payload = nil, nil
		if !reflect.DeepEqual(back, viaMarshal) || !reflect.DeepEqual(gotPayload, wantPayload) {
			t.Errorf("round trip %+v %v, want %+v %v", back, gotPayload, viaMarshal, wantPayload)
		}
	})
}
