// Package hub is Kassa's reference backend for the sync API (sync/openapi.yaml).
//
// A Server serves the HTTP API over a Backend: POST /v1/events (a terminal's outbox batches), the pull
// feeds GET /v1/catalog, /v1/customers, /v1/offers and /v1/pickup-orders, the web shop's
// POST /v1/admin/pickup-orders, and GET /v1/health and /healthz. Every request is logged on one structured
// line and reported to an Observer (sync/hub/metrics exposes them to Prometheus).
//
// Storage is the bbolt Backend. Events are idempotent by id: a repeated id is acknowledged again and
// stored once, so a terminal that lost an answer can resend safely. An event that can never be accepted is
// rejected with a reason while the valid events of the same batch are acknowledged. Each terminal's event
// seq is tracked; a jump forward or back is reported as a gap (lost events, or a terminal database
// restored from a backup). Sales and refunds are indexed per store, loyalty events move a ledger and the
// customer's balance, and pickup hand-overs close their order.
//
// Every stored event is also indexed by store and time (the timeline), from which BuildReport computes the
// omnichannel report (`kassahub report`, GET /v1/admin/report): sales by channel, kiosk-to-till basket
// conversion, pickup waits and the loyalty share, per store and local day, from the sales and the
// anonymous analytics events of kiosks and tills.
//
// Feeds are change logs: each change of an item takes the next number of its feed's sequence in the same
// transaction, and a cursor is that number, so a terminal that pulls while imports run never misses a
// change. Deletions stay as tombstones. Catalogs come from the till's CSV (pos/catalog) or from 1C
// (sync/hub/commerceml) through cmd/kassahub.
package hub
