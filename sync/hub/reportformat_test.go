package hub_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/wire"
)

var updateReport = flag.Bool("update-report", false, "rewrite the report golden files under testdata/")

// TestReportGolden renders the scenario's report for 13-15 March as the Russian and English tables and as
// CSV, and compares them with testdata/report_*.
func TestReportGolden(t *testing.T) {
	th := newReportHub(t)
	rep, err := hub.BuildReport(ctx, th.st, hub.ReportQuery{From: "2026-03-13", To: "2026-03-15"})
	if err != nil {
		t.Fatal(err)
	}
	empty, err := hub.BuildReport(ctx, th.st, hub.ReportQuery{Store: "s1", From: "2027-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"report_ru.txt", func(b *bytes.Buffer) error { return hub.WriteReportTable(b, rep, hub.LangRU) }},
		{"report_en.txt", func(b *bytes.Buffer) error { return hub.WriteReportTable(b, rep, hub.LangEN) }},
		{"report.csv", func(b *bytes.Buffer) error { return hub.WriteReportCSV(b, rep) }},
		{"report_empty_en.txt", func(b *bytes.Buffer) error { return hub.WriteReportTable(b, empty, hub.LangEN) }},
		{"report_empty.csv", func(b *bytes.Buffer) error { return hub.WriteReportCSV(b, empty) }},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			var got bytes.Buffer
			if err := tc.write(&got); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.file)
			if *updateReport {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs (go test -run TestReportGolden -update-report to rewrite):\n%s\nwant:\n%s", tc.file, got.Bytes(), want)
			}
		})
	}
}

func TestWriteReportTableLang(t *testing.T) {
	err := hub.WriteReportTable(new(bytes.Buffer), wire.Report{}, "de")
	if !errors.Is(err, hub.ErrInvalid) {
		t.Errorf("language de: %v, want ErrInvalid", err)
	}
}
