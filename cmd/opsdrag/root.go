package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/tui"
)

// globalFlags are shared by every command.
type globalFlags struct {
	configPath string
	demo       bool
	since      string
	noStore    bool
	debug      bool
}

func newRootCmd() *cobra.Command {
	var g globalFlags
	root := &cobra.Command{
		Use:   "opsdrag",
		Short: "See what operating AWS costs your team, and triage what broke",
		Long: `opsdrag gathers failing pipelines (GitHub Actions, CodePipeline), CloudWatch alarms
and open infrastructure PRs into one model and shows the team's infrastructure drag:
the hours per week and dollars per month it costs, next to the AWS invoice, every
figure explained — plus a migration plan built from what the team runs.

With no configuration and no credentials, the interface runs on built-in demo data
(marked DEMO); report and triage never do unless given --demo: they exit with status 2
and say which file to write. Start with opsdrag init, which writes the config file
and checks it with opsdrag doctor.

` + exitCodesHelp(),
		Example: `  opsdrag --demo                      # the interface on built-in demo data
  opsdrag init                        # write a config for your team, then check it
  opsdrag --since friday              # the interface over everything since Friday 18:00`,
		Version: versionString(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTUI(g)
		},
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.DisableAutoGenTag = true // man pages: no "generated on" line to differ between builds
	pf := root.PersistentFlags()
	pf.StringVar(&g.configPath, "config", "", "config file (default $XDG_CONFIG_HOME/opsdrag/config.yaml, or $OPSDRAG_CONFIG)")
	pf.BoolVar(&g.demo, "demo", false, "use the built-in demo data instead of live sources")
	pf.BoolVar(&g.noStore, "no-store", false, "run without the history database (nothing read from or saved to it)")
	pf.BoolVar(&g.debug, "debug", false, "also log every HTTP request (method, path, status, duration, rate-limit headers) to the log file; never a token")
	pf.StringVar(&g.since, "since", "", "window start: a duration (72h, 7d), an RFC 3339 time, or a weekday (friday = last Friday 18:00); default 7d")
	root.AddCommand(newReportCmd(&g), newCollectCmd(&g), newTriageCmd(&g), newChecklistCmd(&g), newHistoryCmd(&g), newDoctorCmd(&g), newInitCmd(&g), newVersionCmd(), newManCmd())
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	describeCompletion(root)
	strictUsage(root)
	return root
}

// setup is what every command needs: the config, the team, the sources and
// the window.
type setup struct {
	cfg     config.Config
	team    model.Team
	demo    bool
	hint    string
	sources []collectors.Collector
	window  func(now time.Time) model.Window
	// log is this run's log; close it when the command ends.
	log runLog
	// logWarning says why there is no log, when there is none.
	logWarning string
}

// runner runs this setup's sources, logging each outcome.
func (s setup) runner() collectors.Runner {
	return collectors.Runner{Collectors: s.sources, Log: s.log.Logger}
}

func newSetup(g globalFlags, demoLatency time.Duration) (setup, error) {
	cfg, err := config.Resolve(g.configPath)
	if err != nil {
		return setup{}, usageError{err}
	}
	s := setup{cfg: cfg, team: cfg.Team}
	s.demo, s.hint = chooseDemo(g.demo, cfg, os.Getenv, fileExists)
	if s.demo && !cfg.Found() {
		s.team = demoTeam()
	}
	loc := s.team.Loc()
	now := time.Now()
	if _, err := model.ParseSince(g.since, now, loc); err != nil {
		return setup{}, usageError{err}
	}
	s.window = func(now time.Time) model.Window {
		since, _ := model.ParseSince(g.since, now, loc) // validated above
		return model.Window{Since: since, Until: now}
	}
	s.log, s.logWarning = openLog(g)
	s.sources = buildSources(cfg, s.demo, loc, demoLatency, s.log.Logger)
	return s, nil
}

func runTUI(g globalFlags) error {
	started := interfaceGC()
	s, err := newSetup(g, 1200*time.Millisecond)
	if err != nil {
		return err
	}
	defer s.log.close()
	runner := s.runner()
	opts := tui.Options{
		Team:        s.team,
		Assumptions: s.cfg.Assumptions,
		Demo:        s.demo,
		Hint:        s.hint,
		Sources:     runner.Names(),
		Window:      s.window,
		Collect:     withKept(runner.Run, nil, s.log.Logger),
		NoColor:     os.Getenv("NO_COLOR") != "",
		Effort:      s.cfg.Effort,
	}
	hist, warning, brief := openHistory(g)
	if warning != "" {
		s.log.Warn(warning)
	}
	opts.Warning = strings.Join(slices.DeleteFunc([]string{brief, s.logWarning}, func(w string) bool { return w == "" }), "; ")
	opts.Trend = trendFunc(hist, s.demo, s.team.Loc())
	// writing is held by every write to the history, so the file is closed
	// only once a write under way has finished, however the program ends.
	var writing sync.Mutex
	if hist != nil {
		defer func() {
			writing.Lock()
			hist.Close()
		}()
		ctx := context.Background()
		// Fast start: paint the last snapshot at once, refresh behind it (a
		// reader of a shared history reads it in readShared, below).
		shared := readsShared(g, s)
		if !shared {
			if saved, ok, err := hist.Latest(ctx, s.demo); err == nil && ok {
				opts.Initial = &saved.Snapshot
			}
		}
		opts.Save = func(snap model.Snapshot, l model.Ledger) error {
			writing.Lock()
			defer writing.Unlock()
			s.log.Debug("saving snapshot", "path", hist.Path())
			_, err := saveRefresh(ctx, hist, snap, l)
			if err != nil {
				s.log.Warn("history not saved", "err", err)
			} else {
				s.log.Debug("snapshot saved")
			}
			return err
		}
		opts.Collect = withKept(runner.Run, hist, s.log.Logger)
		if shared {
			readShared(&opts, hist, s)
		}
		who := envMarker(s.cfg)
		opts.Handled = func(start time.Time) (map[string]model.Mark, error) { return hist.Handled(ctx, start) }
		opts.MarkHandled = func(start time.Time, id string, h bool) error {
			writing.Lock()
			defer writing.Unlock()
			return hist.SetHandled(ctx, start, id, h, markBy(who))
		}
		opts.PlanState = func() (model.PlanState, error) { return hist.PlanState(ctx, s.demo) }
		opts.MarkPlan = func(id, step string, done bool) error {
			writing.Lock()
			defer writing.Unlock()
			return hist.SetPlanMark(ctx, s.demo, id, step, done, markBy(who))
		}
		opts.NotePlan = func(id, note string) error {
			writing.Lock()
			defer writing.Unlock()
			return hist.SetPlanNote(ctx, s.demo, id, note, markBy(who))
		}
	}
	model := tui.New(opts)
	started()
	p := tea.NewProgram(panicsLogged{Model: model, log: s.log.Logger})
	// Bubble Tea restores the terminal on SIGINT and SIGTERM; a closed
	// terminal's SIGHUP would end the program at once, mid-write perhaps.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer func() {
		signal.Stop(hup)
		close(hup)
	}()
	go func() {
		if _, ok := <-hup; ok {
			s.log.Info("SIGHUP: stopping")
			p.Kill()
		}
	}()
	_, err = p.Run()
	switch {
	case errors.Is(err, tea.ErrProgramPanic):
		s.log.Error("the interface stopped on a panic (its stack is logged above, and was printed on stderr)", "err", err)
		return fmt.Errorf("terminal interface: %w", err)
	case err != nil && !errors.Is(err, tea.ErrProgramKilled):
		return fmt.Errorf("terminal interface: %w", err)
	case err != nil:
		s.log.Info("stopped by a signal")
	}
	return nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
