package report

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"
)

// FuzzReadPlanMarks feeds the checklist import any bytes. It must never
// panic; it either refuses the file (and returns no marks at all, so an
// import changes nothing) or returns marks that are valid and that read
// back the same once written as an export again. Seeds are in
// testdata/fuzz/FuzzReadPlanMarks.
func FuzzReadPlanMarks(f *testing.F) {
	f.Add([]byte(`{"schema":"opsdrag/checklist@1","items":[{"id":"rds-instance/111122223333/us-east-1/db","done":true,"note":"x","steps":[{"id":"provision","done":true}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		marks, err := ReadPlanMarks(bytes.NewReader(data))
		if err != nil {
			if marks != nil {
				t.Fatalf("refused (%v) but returned marks %v", err, marks)
			}
			if err.Error() == "" {
				t.Fatal("refused without a reason")
			}
			return
		}
		type step struct {
			ID   string `json:"id"`
			Done bool   `json:"done"`
		}
		type item struct {
			ID    string `json:"id"`
			Done  bool   `json:"done"`
			Note  string `json:"note"`
			Steps []step `json:"steps"`
		}
		file := struct {
			Schema string `json:"schema"`
			Items  []item `json:"items"`
		}{Schema: PlanSchema, Items: []item{}}
		for _, id := range slices.Sorted(maps.Keys(marks)) {
			m := marks[id]
			if err := validItemID(id); err != nil {
				t.Fatalf("accepted an invalid id %q: %v", id, err)
			}
			it := item{ID: id, Done: m.Done, Note: m.Note, Steps: []step{}}
			for s, done := range m.Steps {
				if !done {
					t.Fatalf("%s: a step not done kept as a mark", id)
				}
				it.Steps = append(it.Steps, step{s, true})
			}
			file.Items = append(file.Items, it)
		}
		again, err := json.Marshal(file)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ReadPlanMarks(bytes.NewReader(again))
		if err != nil {
			t.Fatalf("accepted marks do not read back: %v\n%s", err, again)
		}
		if !reflect.DeepEqual(back, marks) {
			t.Fatalf("read back %v, want %v", back, marks)
		}
	})
}
