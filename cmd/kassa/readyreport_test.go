package main

import (
	"slices"
	"testing"
)

func TestTakeReadyReport(t *testing.T) {
	tests := []struct {
		args, rest []string
		file       string
	}{
		{[]string{"--demo"}, []string{"--demo"}, ""},
		{[]string{"--demo", "--ready-report", "/tmp/r.json", "--data", "d"}, []string{"--demo", "--data", "d"}, "/tmp/r.json"},
		{[]string{"-ready-report", "r.json"}, []string{}, "r.json"},
		{[]string{"--ready-report=r.json", "--demo"}, []string{"--demo"}, "r.json"},
		{[]string{"--ready-report"}, []string{}, ""},
	}
	for _, tt := range tests {
		rest, file := takeReadyReport(tt.args)
		if file != tt.file || !slices.Equal(rest, tt.rest) {
			t.Errorf("takeReadyReport(%q) = %q, %q; want %q, %q", tt.args, rest, file, tt.rest, tt.file)
		}
	}
}
