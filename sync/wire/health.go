package wire

// Health is the body of GET /v1/health. Status is "ok" while the backend can serve requests.
type Health struct {
	Status string `json:"status"`
}

// HealthOK is the Status of a healthy backend.
const HealthOK = "ok"
