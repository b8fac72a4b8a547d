package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/opsdrag/opsdrag/model"
)

// Limits on an import file: far above any real plan, low enough that a
// hostile file cannot make opsdrag hold much.
const (
	maxImportBytes = 8 << 20
	maxImportItems = 20000
	maxImportSteps = 64
	// MaxNoteBytes bounds a plan item's note.
	MaxNoteBytes = 2000
)

var (
	importKind    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	importPlace   = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	importStepID  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	maxResourceID = 512
)

// importFile is what an import reads of a checklist export: the schema,
// and each item's id, mark, steps and note. Other fields are the export's
// to show, and are not read back (a newer @1 export may add some).
type importFile struct {
	Items *[]importItem `json:"items"`
	// Demo says the export is of the built-in demo's plan.
	Demo bool `json:"demo"`
}

type importItem struct {
	ID    *string       `json:"id"`
	Done  *bool         `json:"done"`
	Note  *string       `json:"note"`
	Steps *[]importStep `json:"steps"`
}

type importStep struct {
	ID   *string `json:"id"`
	Done *bool   `json:"done"`
}

// ReadPlanMarks reads the marks and notes of a plan exported with
// `opsdrag checklist --format json` (schema "opsdrag/checklist@1"), by item
// id. A file that is not such an export, or is malformed anywhere, gives
// an error saying where and why, and no marks at all: an import applies
// all of a file or nothing.
func ReadPlanMarks(r io.Reader) (map[string]model.ItemMarks, error) {
	marks, _, err := ReadPlanExport(r)
	return marks, err
}

// ReadPlanExport is ReadPlanMarks that also says whether the export is of
// the demo's plan, which must not be restored into the team's, nor the
// team's into the demo's.
func ReadPlanExport(r io.Reader) (map[string]model.ItemMarks, bool, error) {
	marks, f, err := readPlanExport(r)
	return marks, f.Demo, err
}

func readPlanExport(r io.Reader) (map[string]model.ItemMarks, importFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImportBytes+1))
	if err != nil {
		return nil, importFile{}, fmt.Errorf("read the file: %w", err)
	}
	if len(data) > maxImportBytes {
		return nil, importFile{}, fmt.Errorf("the file is larger than %d MiB: not a checklist export", maxImportBytes>>20)
	}
	if !utf8.Valid(data) {
		return nil, importFile{}, errors.New("the file is not UTF-8 text: not a checklist export")
	}
	var head map[string]json.RawMessage
	if err := strictDecode(data, &head); err != nil {
		return nil, importFile{}, fmt.Errorf("not a JSON object (%v): export the plan with opsdrag checklist --format json", err)
	}
	var schema string
	if raw, ok := head["schema"]; !ok || json.Unmarshal(raw, &schema) != nil {
		return nil, importFile{}, fmt.Errorf("no \"schema\": not an opsdrag checklist export (want %q)", PlanSchema)
	}
	switch {
	case schema == PlanSchema:
	case schema == Schema:
		return nil, importFile{}, fmt.Errorf("this is an opsdrag report (%s), not a checklist export: export the plan with opsdrag checklist --format json", schema)
	case strings.HasPrefix(schema, "opsdrag/checklist@"):
		return nil, importFile{}, fmt.Errorf("schema %q is a checklist version this opsdrag does not read (it reads %q): upgrade opsdrag", schema, PlanSchema)
	default:
		return nil, importFile{}, fmt.Errorf("schema %q: not an opsdrag checklist export (want %q)", schema, PlanSchema)
	}
	var f importFile
	if err := strictDecode(data, &f); err != nil {
		return nil, importFile{}, fmt.Errorf("malformed checklist export: %v", err)
	}
	if f.Items == nil {
		return nil, importFile{}, errors.New(`malformed checklist export: no "items" list`)
	}
	if len(*f.Items) > maxImportItems {
		return nil, importFile{}, fmt.Errorf("malformed checklist export: %d items, more than the %d opsdrag accepts", len(*f.Items), maxImportItems)
	}
	out := make(map[string]model.ItemMarks, len(*f.Items))
	for i, it := range *f.Items {
		id, m, err := readItem(it)
		if err != nil {
			return nil, importFile{}, fmt.Errorf("malformed checklist export: items[%d]: %v", i, err)
		}
		if _, dup := out[id]; dup {
			return nil, importFile{}, fmt.Errorf("malformed checklist export: items[%d]: item %s is listed twice", i, id)
		}
		out[id] = m
	}
	return out, f, nil
}

// strictDecode decodes exactly one JSON value from data into v.
func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("more data after the JSON object")
	}
	return nil
}

func readItem(it importItem) (string, model.ItemMarks, error) {
	var m model.ItemMarks
	if it.ID == nil {
		return "", m, errors.New(`no "id"`)
	}
	id := *it.ID
	if err := validItemID(id); err != nil {
		return "", m, fmt.Errorf("id %q: %v", cut(id, 80), err)
	}
	if it.Done == nil {
		return "", m, fmt.Errorf("item %s: no \"done\"", id)
	}
	m.Done = *it.Done
	if it.Note != nil {
		note := *it.Note
		switch {
		case len(note) > MaxNoteBytes:
			return "", m, fmt.Errorf("item %s: the note is longer than %d bytes", id, MaxNoteBytes)
		case model.CleanText(note) != note || strings.TrimSpace(note) != note:
			return "", m, fmt.Errorf("item %s: the note holds control characters, escape sequences, line breaks or surrounding spaces", id)
		}
		m.Note = note
	}
	if it.Steps == nil {
		return "", m, fmt.Errorf("item %s: no \"steps\" list", id)
	}
	if len(*it.Steps) > maxImportSteps {
		return "", m, fmt.Errorf("item %s: %d steps, more than %d", id, len(*it.Steps), maxImportSteps)
	}
	for j, s := range *it.Steps {
		if s.ID == nil || !importStepID.MatchString(*s.ID) {
			return "", m, fmt.Errorf("item %s: steps[%d]: want an id of lowercase letters, digits and dashes", id, j)
		}
		if s.Done == nil {
			return "", m, fmt.Errorf("item %s: step %s: no \"done\"", id, *s.ID)
		}
		if _, dup := m.Steps[*s.ID]; dup {
			return "", m, fmt.Errorf("item %s: step %s is listed twice", id, *s.ID)
		}
		if m.Steps == nil {
			m.Steps = map[string]bool{}
		}
		m.Steps[*s.ID] = *s.Done
	}
	// Only the steps done are marks; the ones not done are not kept.
	for s, done := range m.Steps {
		if !done {
			delete(m.Steps, s)
		}
	}
	if len(m.Steps) == 0 {
		m.Steps = nil
	}
	return id, m, nil
}

// validItemID checks an id has the form model.PlanItemID gives:
// kind/account/region/resource.
func validItemID(id string) error {
	parts := strings.SplitN(id, "/", 4)
	if len(parts) != 4 {
		return errors.New("want kind/account/region/resource")
	}
	kind, account, region, resource := parts[0], parts[1], parts[2], parts[3]
	switch {
	case !importKind.MatchString(kind):
		return errors.New("the kind must be lowercase letters, digits and dashes")
	case !importPlace.MatchString(account) || !importPlace.MatchString(region):
		return errors.New("the account and region must be letters, digits, dots, dashes and underscores")
	case resource == "" || len(resource) > maxResourceID:
		return fmt.Errorf("the resource must be 1 to %d bytes", maxResourceID)
	case model.CleanText(resource) != resource || strings.TrimSpace(resource) != resource:
		return errors.New("the resource holds control characters, escape sequences or surrounding spaces")
	}
	return nil
}
