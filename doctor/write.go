package doctor

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// Schema names the JSON document WriteJSON prints; fields are only ever
// added within a version.
const Schema = "opsdrag/doctor@1"

// WriteText prints one line per check, the fix indented under a failure,
// then a summary line.
func WriteText(w io.Writer, r Report) error {
	for _, c := range r.Checks {
		mark := map[collectors.CheckStatus]string{collectors.CheckOK: "✓", collectors.CheckFailed: "✗", collectors.CheckSkipped: "–"}[c.Status]
		if _, err := fmt.Fprintf(w, "%s %s: %s\n", mark, c.Name, model.CleanText(c.Detail)); err != nil {
			return err
		}
		if c.Fix != "" && c.Status != collectors.CheckOK {
			if _, err := fmt.Fprintf(w, "    fix: %s\n", model.CleanText(c.Fix)); err != nil {
				return err
			}
		}
	}
	var err error
	switch n := r.Failed(); n {
	case 0:
		_, err = fmt.Fprintf(w, "\nEvery check passed (%d).\n", len(r.Checks))
	default:
		_, err = fmt.Fprintf(w, "\n%d of %d checks failed.\n", n, len(r.Checks))
	}
	return err
}

type jsonCheck struct {
	Name   string  `json:"name"`
	Status string  `json:"status"`
	Detail string  `json:"detail"`
	Fix    *string `json:"fix"`
}

// WriteJSON prints the report as one JSON document for scripts:
// {"schema", "ok", "failed", "checks": [{"name", "status", "detail", "fix"}]},
// status one of "ok", "fail", "skip", fix null when there is none.
func WriteJSON(w io.Writer, r Report) error {
	doc := struct {
		Schema string      `json:"schema"`
		OK     bool        `json:"ok"`
		Failed int         `json:"failed"`
		Checks []jsonCheck `json:"checks"`
	}{Schema: Schema, OK: r.Failed() == 0, Failed: r.Failed(), Checks: []jsonCheck{}}
	for _, c := range r.Checks {
		jc := jsonCheck{Name: c.Name, Status: string(c.Status), Detail: model.CleanText(c.Detail)}
		if c.Fix != "" {
			fix := model.CleanText(c.Fix)
			jc.Fix = &fix
		}
		doc.Checks = append(doc.Checks, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
