package report

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/opsdrag/opsdrag/model"
)

// The contract of docs/checklist.md's "opsdrag/checklist@1", written
// independently of the DTOs.
var tLink = tObject{
	"category": tEnum{"pipelines", "alarms", "infra_prs"}, "subject": tString{}, "formula": tString{},
	"hours_per_week": tNumber{}, "via": nullable(tString{}), "by_name": tBool{}, "shared": tInt{},
}

var checklistContract = tObject{
	"schema":       tEnum{"opsdrag/checklist@1"},
	"generated_at": tTime{},
	"demo":         tBool{},
	"window":       tObject{"since": tTime{}, "until": tTime{}},
	"summary":      tPlanSummary,
	"effort_hours": tMap{tNumber{}},
	"items": tArray{tObject{
		"id": tString{}, "kind": tString{}, "component": tString{}, "account": tString{}, "region": tString{},
		"resource": tString{}, "title": tString{}, "state": tItemState, "done": tBool{},
		"facts":        tArray{tObject{"label": tString{}, "value": tString{}}},
		"members":      tArray{tString{}},
		"steps":        tArray{tObject{"id": tString{}, "text": tString{}, "done": tBool{}}},
		"effort_hours": tNumber{}, "effort": tArray{tObject{"kind": tString{}, "hours": tNumber{}}},
		"hours_per_week": nullable(tNumber{}), "hours_completeness": tCompleteness, "payback_weeks": nullable(tNumber{}),
		"links": tArray{tLink}, "alarms": tArray{tString{}},
		"cost": nullable(tObject{"service": tString{}, "monthly": tNumber{}, "currency": tString{}, "shared_by": tInt{}}),
		"note": tString{}, "last_seen": nullable(tTime{}),
	}},
	"unlinked": tArray{tLink},
	"gaps":     tArray{tString{}},
}

func renderPlan(t *testing.T, f Format, in Input) string {
	t.Helper()
	var b bytes.Buffer
	if err := WritePlan(&b, f, in); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// demoMarks marks the demo's plan: a step, a whole item, a note, and an
// item that is gone (retired).
func demoMarks() model.PlanState {
	return model.PlanState{
		Marks: map[string]model.ItemMarks{
			"rds-instance/111122223333/us-east-1/acme-prod-db":       {Steps: map[string]bool{"provision": true, "secrets": true}, Note: "cut over Sat 02:00 — ask @dana"},
			"sqs-queue/111122223333/eu-west-1/*":                     {Done: true},
			"elasticache-cluster/111122223333/us-east-1/legacy-memc": {Done: true, Note: "moved in October"},
		},
		Seen: map[string]model.SeenItem{
			"elasticache-cluster/111122223333/us-east-1/legacy-memc": {
				ID: "elasticache-cluster/111122223333/us-east-1/legacy-memc", Kind: model.KindElastiCache,
				Account: "111122223333", Region: "us-east-1", Title: "Move the Memcached cache legacy-memc",
				LastSeen: now.AddDate(0, -1, 0), WeekHours: 3.5, Completeness: model.Complete,
			},
		},
	}
}

func TestPlanJSONFollowsTheContract(t *testing.T) {
	for name, in := range map[string]Input{"demo": demoInput(t, false), "unknowns": unknownsInput(), "hostile": hostileInput()} {
		t.Run(name, func(t *testing.T) {
			in.PlanState = demoMarks()
			var doc map[string]any
			if err := json.Unmarshal([]byte(renderPlan(t, JSON, in)), &doc); err != nil {
				t.Fatal(err)
			}
			for _, p := range conform("$", checklistContract, doc) {
				t.Error(p)
			}
		})
	}
	// The report carries the summary and each item's drag and payback.
	in := demoInput(t, false)
	in.PlanState = demoMarks()
	doc := decode(t, in)
	if h := get(t, doc, "plan", "summary", "headline").(string); !strings.HasPrefix(h, "Moving these ") {
		t.Errorf("report plan headline %q", h)
	}
	if got := get(t, doc, "plan", "summary", "retired").(float64); got != 1 {
		t.Errorf("retired = %v", got)
	}
}

// The JSON export, imported back, restores exactly the marks and notes it
// was made from.
func TestPlanExportImportRoundTrip(t *testing.T) {
	in := demoInput(t, false)
	in.PlanState = demoMarks()
	out := renderPlan(t, JSON, in)
	got, err := ReadPlanMarks(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	want := maps.Clone(in.PlanState.Marks)
	// Every item comes back; the unmarked ones with no marks.
	for k, v := range got {
		if _, ok := want[k]; !ok {
			if !reflect.DeepEqual(v, model.ItemMarks{}) {
				t.Errorf("%s came back marked: %+v", k, v)
			}
			delete(got, k)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("imported %+v\nwant %+v", got, want)
	}
}

func TestPlanExportsShowMarksNotesAndRetired(t *testing.T) {
	in := demoInput(t, false)
	in.PlanState = demoMarks()
	text := strings.Join(strings.Fields(renderPlan(t, Text, in)), " ") // unwrapped
	for _, want := range []string{
		"Moving these ", "[x] Provision the platform's managed PostgreSQL 16 database, sized like db.r6g.large, with a standby",
		"note: cut over Sat 02:00 — ask @dana",
		"(retired) Move the Memcached cache legacy-memc", "retired 3.5 h/week (when last seen",
		"Done so far: 1 item retired 3.5 h/week",
		"DRAG NOT TIED TO ANY COMPONENT",
		"id: rds-instance/111122223333/us-east-1/acme-prod-db",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text export lacks %q", want)
		}
	}
	md := renderPlan(t, Markdown, in)
	for _, want := range []string{
		"- [x] Provision the platform", "- [ ] Plan the data move", "> cut over Sat 02:00 — ask @\u2060dana",
		"(by name)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown export lacks %q", want)
		}
	}
}

func TestReadPlanMarksRefusesWithTheReason(t *testing.T) {
	item := func(fields string) string {
		return `{"schema":"opsdrag/checklist@1","items":[` + fields + `]}`
	}
	for _, tc := range []struct {
		name, in, reason string
	}{
		{"empty", ``, "not a JSON object"},
		{"not JSON", `hello`, "not a JSON object"},
		{"array", `[]`, "not a JSON object"},
		{"truncated", `{"schema":"opsdrag/checklist@1","items":[{"id":`, "not a JSON object"},
		{"trailing", `{"schema":"opsdrag/checklist@1","items":[]} {}`, "more data after"},
		{"no schema", `{"items":[]}`, `no "schema"`},
		{"report", `{"schema":"opsdrag/report@2"}`, "this is an opsdrag report"},
		{"newer", `{"schema":"opsdrag/checklist@2","items":[]}`, "upgrade opsdrag"},
		{"foreign", `{"schema":"acme/plan@1","items":[]}`, "not an opsdrag checklist export"},
		{"no items", `{"schema":"opsdrag/checklist@1"}`, `no "items" list`},
		{"items not a list", `{"schema":"opsdrag/checklist@1","items":{}}`, "malformed checklist export"},
		{"no id", item(`{"done":true,"steps":[]}`), `items[0]: no "id"`},
		{"bad id", item(`{"id":"rds-instance/111","done":true,"steps":[]}`), "want kind/account/region/resource"},
		{"escape in id", item(`{"id":"rds-instance/1/r/db\u001b[2J","done":true,"steps":[]}`), "control characters"},
		{"kind", item(`{"id":"RDS!/1/r/db","done":true,"steps":[]}`), "the kind must be"},
		{"no done", item(`{"id":"rds-instance/1/r/db","steps":[]}`), `no "done"`},
		{"done a string", item(`{"id":"rds-instance/1/r/db","done":"yes","steps":[]}`), "malformed checklist export"},
		{"no steps", item(`{"id":"rds-instance/1/r/db","done":true}`), `no "steps" list`},
		{"bad step", item(`{"id":"rds-instance/1/r/db","done":true,"steps":[{"id":"../x","done":true}]}`), "steps[0]"},
		{"step twice", item(`{"id":"rds-instance/1/r/db","done":true,"steps":[{"id":"a","done":true},{"id":"a","done":false}]}`), "listed twice"},
		{"item twice", item(`{"id":"rds-instance/1/r/db","done":true,"steps":[]},{"id":"rds-instance/1/r/db","done":false,"steps":[]}`), "listed twice"},
		{"escape in note", item(`{"id":"rds-instance/1/r/db","done":true,"steps":[],"note":"\u001b]8;;http://evil\u0007x"}`), "control characters"},
		{"newline in note", item(`{"id":"rds-instance/1/r/db","done":true,"steps":[],"note":"a\nb"}`), "line breaks"},
		{"long note", item(`{"id":"rds-instance/1/r/db","done":true,"steps":[],"note":"` + strings.Repeat("x", MaxNoteBytes+1) + `"}`), "longer than"},
		{"not UTF-8", "{\"schema\":\"opsdrag/checklist@1\",\"items\":[],\"x\":\"\xff\"}", "not UTF-8"},
		{"huge", `{"schema":"opsdrag/checklist@1","items":[],"pad":"` + strings.Repeat(" ", maxImportBytes) + `"}`, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadPlanMarks(strings.NewReader(tc.in))
			if err == nil || got != nil {
				t.Fatalf("accepted: %+v", got)
			}
			if !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("error %q does not say %q", err, tc.reason)
			}
		})
	}
	// Fields an @1 export may add later are not an error.
	got, err := ReadPlanMarks(strings.NewReader(item(`{"id":"rds-instance/1/r/db","done":false,"steps":[{"id":"a","done":true,"new":1}],"note":"ok","new":{}}`)))
	if err != nil || !reflect.DeepEqual(got, map[string]model.ItemMarks{"rds-instance/1/r/db": {Steps: map[string]bool{"a": true}, Note: "ok"}}) {
		t.Errorf("got %+v, %v", got, err)
	}
}
