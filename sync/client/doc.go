// Package client is the terminal's side of the sync API (sync/openapi.yaml).
//
// Its Replayer sends the outbox to the hub in order and in batches, acknowledging in the outbox what the
// hub acknowledged and moving what it rejected to the dead letter, and retries everything else forever with
// exponential backoff and jitter: an event leaves the outbox only on the hub's word. Event ids are
// idempotency keys, so a batch whose answer was lost is simply sent again.
//
// Its Puller fetches the delta feeds (catalog, customers, offers, pickup orders) page by page and hands each
// page to a FeedSink that stores it together with its cursor in one transaction, so an interrupted pull
// resumes where it stopped.
//
// Both report the link in a Status: online, or why not (a refused token, an untrusted certificate, the
// hub's or the network's error), and when the last exchange succeeded.
package client
