package tui

import (
	"maps"
	"strings"
	"sync"
	"testing"

	"github.com/opsdrag/opsdrag/model"
)

// planStore is an in-memory stand-in for the history's plan tables.
type planStore struct {
	mu    sync.Mutex
	marks []string
	notes map[string]string
	state model.PlanState
}

// options wires the store into o. Like the history, it keeps what was
// saved and gives it back, with who marked it, on the next read.
func (s *planStore) options(o Options) Options {
	o.PlanState = func() (model.PlanState, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		st := model.PlanState{Seen: s.state.Seen, Marks: map[string]model.ItemMarks{}}
		for id, m := range s.state.Marks {
			m.Steps, m.By = maps.Clone(m.Steps), maps.Clone(m.By)
			st.Marks[id] = m
		}
		return st, nil
	}
	o.MarkPlan = func(id, step string, done bool) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.marks = append(s.marks, id+"/"+step+map[bool]string{true: "=done", false: "=undone"}[done])
		if s.state.Marks == nil {
			s.state.Marks = map[string]model.ItemMarks{}
		}
		m := s.state.Marks[id]
		if m.Steps == nil {
			m.Steps, m.By = map[string]bool{}, map[string]model.Mark{}
		}
		switch {
		case step == "":
			m.Done = done
		case done:
			m.Steps[step] = true
		default:
			delete(m.Steps, step)
		}
		if done {
			m.By[step] = model.Mark{By: "bo@example.com", At: fixedNow}
		} else {
			delete(m.By, step)
		}
		s.state.Marks[id] = m
		return nil
	}
	o.NotePlan = func(id, note string) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.notes[id] = note
		if s.state.Marks == nil {
			s.state.Marks = map[string]model.ItemMarks{}
		}
		m := s.state.Marks[id]
		m.Note, m.NoteBy = note, model.Mark{By: "bo@example.com", At: fixedNow}
		s.state.Marks[id] = m
		return nil
	}
	return o
}

const redisID = "elasticache-cluster/111122223333/eu-west-1/acme-eu-redis"

func TestChecklistPaneTicksNotesAndSaves(t *testing.T) {
	st := &planStore{notes: map[string]string{}}
	a := loaded(t, st.options(demoOptions(t)), 80, 24)
	drive(t, a, a.loadPlan())
	press(t, a, "6")
	s := screen(a)
	for _, want := range []string{"Moving these 8 retires", "h of work: pays back in about", "[ ] Move the Redis cache acme-eu-redis", "[ ] Provision the platform's"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	// The first row is the quickest payback; its steps are open under it.
	if r, _ := a.tables[a.active].selected(); r.key != redisID {
		t.Errorf("cursor on %q", r.key)
	}
	press(t, a, "j", "space")
	if s := screen(a); !strings.Contains(s, "[x] Provision the platform's") || !strings.Contains(s, " 1/5 ") {
		t.Errorf("step not ticked:\n%s", s)
	}
	press(t, a, "n")
	for _, k := range "cut over Sat" {
		press(t, a, string(k))
	}
	press(t, a, "enter")
	if s := screen(a); !strings.Contains(s, "✎") {
		t.Errorf("no note mark:\n%s", s)
	}
	// The detail says who ticked the step and wrote the note, as the
	// store read back says.
	press(t, a, "k", "enter")
	if s := screen(a); !strings.Contains(s, "(1 node) (by bo@example.com") ||
		!strings.Contains(s, "Note written") {
		t.Errorf("the detail does not say who marked:\n%s", s)
	}
	press(t, a, "esc", "j")
	// The item itself: space on its row; every screen line fits.
	press(t, a, "k", "space")
	s = screen(a)
	if !strings.Contains(s, "[x] Move the Redis cache") {
		t.Errorf("item not ticked:\n%s", s)
	}
	for i, l := range strings.Split(s, "\n") {
		if len([]rune(l)) > 80 {
			t.Errorf("line %d wider than 80: %q", i, l)
		}
	}
	if n := len(strings.Split(strings.TrimRight(s, "\n"), "\n")); n > 24 {
		t.Errorf("%d lines on 24", n)
	}
	// Unticking the item unticks its steps too.
	press(t, a, "space")
	if s := screen(a); strings.Contains(s, "[x] Provision") {
		t.Errorf("steps still ticked after unticking the item:\n%s", s)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	want := []string{redisID + "/provision=done", redisID + "/=done", redisID + "/=undone"}
	if len(st.marks) < 3 || strings.Join(st.marks[:3], " ") != strings.Join(want, " ") {
		t.Errorf("saved marks %v, want %v then the steps undone", st.marks, want)
	}
	if st.notes[redisID] != "cut over Sat" {
		t.Errorf("saved notes %v", st.notes)
	}
}

// A component seen before and gone from a complete inventory is retired:
// the Checklist shows it done with the drag it had, and the Drag pane the
// share of the drag it took with it.
func TestRetiredItemOnChecklistAndDragPane(t *testing.T) {
	st := &planStore{notes: map[string]string{}, state: model.PlanState{Seen: map[string]model.SeenItem{
		"rds-instance/111122223333/us-east-1/legacy-mysql": {
			ID: "rds-instance/111122223333/us-east-1/legacy-mysql", Kind: model.KindRDSInstance, Account: "111122223333",
			Region: "us-east-1", Title: "Move the MySQL database legacy-mysql", LastSeen: fixedNow.AddDate(0, 0, -20),
			WeekHours: 5, Completeness: model.Complete,
		},
	}}}
	a := loaded(t, st.options(demoOptions(t)), 120, 40)
	drive(t, a, a.loadPlan())
	press(t, a, "1")
	if s := screen(a); !strings.Contains(s, "The plan's moves retired 5.0 h/week") {
		t.Errorf("Drag pane lacks the retired share:\n%s", s)
	}
	press(t, a, "6", "G")
	if s := screen(a); !strings.Contains(s, "Move the MySQL database legacy-mysql (retired)") {
		t.Errorf("Checklist lacks the retired item:\n%s", s)
	}
}

// Row keys split back into item and step whatever the resource is named:
// an Auto Scaling group may be called "web#1".
func TestChecklistRowKeys(t *testing.T) {
	for _, tc := range []struct{ item, step string }{
		{"ec2-instance/1/us-east-1/web#1", "runtime"},
		{"ec2-instance/1/us-east-1/web#1", ""},
		{"ecs-service/1/us-east-1/prod/api", "deploy"},
	} {
		key := tc.item
		if tc.step != "" {
			key = stepKey(tc.item, tc.step)
		}
		if item, step := splitKey(key); item != tc.item || step != tc.step {
			t.Errorf("splitKey(%q) = %q, %q", key, item, step)
		}
	}
}

// In a detail view j and k go from item to item, passing over the steps
// listed under the open one, and the list opens the item shown.
func TestChecklistDetailStepsFromItemToItem(t *testing.T) {
	st := &planStore{notes: map[string]string{}}
	a := loaded(t, st.options(demoOptions(t)), 80, 24)
	drive(t, a, a.loadPlan())
	press(t, a, "6", "enter")
	first := a.detail.key
	press(t, a, "j")
	if a.detail.key == first || strings.ContainsRune(a.detail.key, keySep) {
		t.Fatalf("j showed %q after %q: not the next item", a.detail.key, first)
	}
	second := a.detail.key
	press(t, a, "esc")
	if r, _ := a.tables[a.active].selected(); r.key != second {
		t.Errorf("back in the list the cursor is on %q, the detail showed %q", r.key, second)
	}
	if a.data.planOpen != second {
		t.Errorf("the list opens the steps of %q, not of the item shown %q", a.data.planOpen, second)
	}
	press(t, a, "enter", "k")
	if a.detail.key != first {
		t.Errorf("k went to %q, want back to %q", a.detail.key, first)
	}
	press(t, a, "esc", "G", "enter") // the untied drag: nothing to tick or note there
	if s := screen(a); strings.Contains(s, "space tick") || strings.Contains(s, "n note") {
		t.Errorf("tick or note offered on the untied drag:\n%s", s)
	}
}
