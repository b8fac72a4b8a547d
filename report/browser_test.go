package report

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A real browser prints the demo page: the PDF holds the page's text and
// the screenshot shows the charts drawn. .ci/run installs Debian's
// chromium-headless-shell and poppler-utils (pdftotext) and sets
// OPSDRAG_REQUIRE_BROWSER, so in CI this test never skips.

// browserTools finds the headless browser and pdftotext, or skips (fails
// when OPSDRAG_REQUIRE_BROWSER is set).
func browserTools(t *testing.T) (browser, pdftotext string) {
	t.Helper()
	var missing []string
	browser = os.Getenv("OPSDRAG_BROWSER")
	if browser == "" {
		for _, name := range []string{"chromium-headless-shell", "chromium", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				browser = p
				break
			}
		}
	}
	if browser == "" {
		missing = append(missing, "chromium-headless-shell")
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		missing = append(missing, "pdftotext (poppler-utils)")
	}
	if len(missing) > 0 {
		msg := "not installed: " + strings.Join(missing, ", ") + " (apt-get install chromium-headless-shell poppler-utils)"
		if os.Getenv("OPSDRAG_REQUIRE_BROWSER") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return browser, pdftotext
}

// runBrowser runs the headless browser on a local file with the given
// options; it never reaches the network (the page fetches nothing).
func runBrowser(t *testing.T, browser, page string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
		"--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, browser, append(all, "file://"+page)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", browser, args, err, out.String())
	}
}

func TestBrowserPrintsTheDemoPage(t *testing.T) {
	browser, pdftotext := browserTools(t)
	dir := t.TempDir()
	in := sprintInput(t)
	pagePath := filepath.Join(dir, "report.html")
	if err := os.WriteFile(pagePath, []byte(render(t, HTML, in)), 0o644); err != nil {
		t.Fatal(err)
	}

	pdf := filepath.Join(dir, "report.pdf")
	runBrowser(t, browser, pagePath, "--print-to-pdf="+pdf, "--no-pdf-header-footer")
	out, err := exec.Command(pdftotext, pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// Table cells wrap in print, and pdftotext joins a word broken after a
	// hyphen: compare with every space and hyphen taken out.
	squeeze := func(s string) string { return strings.ReplaceAll(strings.Join(strings.Fields(s), ""), "-", "") }
	printed := squeeze(string(out))
	v := newView(in)
	for _, want := range []string{
		"DEMO DATA", "Operating AWS costs acme", "Where the hours went", "The last 12 weeks",
		"Sleep-hour and off-hour pages", "Longest red streaks", "Infra PRs that took review time",
		"Who carries it", "Migration plan", "Assumptions", "Sources",
		"Rotate the deploy role's IAM policy", "prod-redis-evictions",
		v.ledger.Headline(),
	} {
		if !strings.Contains(printed, squeeze(want)) {
			t.Errorf("the printed PDF lacks %q", want)
		}
	}

	// The charts drew: each is pinned alone to a known spot of a blank
	// page, everything else hidden, and the screenshot must show their
	// colours there — and nothing coloured where nothing is drawn.
	probe := strings.Replace(render(t, HTML, in), "</style>", `
main > * { visibility: hidden; }
#weekly-chart, #people-chart { visibility: visible; position: fixed; left: 0; width: 640px; height: auto; }
#weekly-chart { top: 0; }
#people-chart { top: 300px; width: 400px; }
</style>`, 1)
	probePath := filepath.Join(dir, "probe.html")
	if err := os.WriteFile(probePath, []byte(probe), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "probe.png")
	runBrowser(t, browser, probePath, "--screenshot="+shot, "--window-size=800,600", "--force-device-scale-factor=1")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode the screenshot: %v", err)
	}
	weekly := coloured(img, image.Rect(0, 0, 640, 231))
	people := coloured(img, image.Rect(0, 300, 400, 365))
	nothing := coloured(img, image.Rect(660, 0, 800, 600)) // right of both charts
	between := coloured(img, image.Rect(0, 240, 640, 295))
	// 12 stacked bars about 34 px wide and up to 150 px high; 5 bars of 24 px.
	if weekly < 5000 {
		t.Errorf("the weekly chart shows %d coloured pixels: it did not draw", weekly)
	}
	if people < 300 {
		t.Errorf("the people chart shows %d coloured pixels: it did not draw", people)
	}
	if nothing > 0 || between > 0 {
		t.Errorf("%d and %d coloured pixels where nothing is drawn: the probe cannot tell", nothing, between)
	}
}

// coloured counts the pixels in r that are clearly coloured (not white,
// grey or black): bars, not text or grid lines.
func coloured(img image.Image, r image.Rectangle) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			hi, lo := max(cr, cg, cb)>>8, min(cr, cg, cb)>>8
			if hi-lo > 60 {
				n++
			}
		}
	}
	return n
}
