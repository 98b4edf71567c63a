// Package hub is Kassa's reference backend for the sync API (sync/openapi.yaml): a bbolt Storage of
// terminals, their tokens and the events they replay, and a Server whose HTTP handlers authenticate a
// terminal by its bearer token, validate each event and store a batch in one transaction.
//
// Events are idempotent by id: a repeated id is acknowledged again and stored once, so a terminal that lost
// an answer can resend safely. An event that can never be accepted is rejected with a reason; the valid
// events of the same batch are still acknowledged. cmd/kassahub wraps it in a service.
package hub
