package tui

import (
	"charm.land/lipgloss/v2"
)

// Styles is every style the interface uses, built once from one palette and
// passed down; no pane keeps styles of its own.
type Styles struct {
	App       lipgloss.Style
	Brand     lipgloss.Style
	Demo      lipgloss.Style
	Tab       lipgloss.Style
	TabActive lipgloss.Style
	Rule      lipgloss.Style
	Hint      lipgloss.Style

	Header   lipgloss.Style
	Selected lipgloss.Style
	Muted    lipgloss.Style
	Bold     lipgloss.Style
	Title    lipgloss.Style

	Bad  lipgloss.Style
	Warn lipgloss.Style
	Good lipgloss.Style
	Info lipgloss.Style

	Headline lipgloss.Style
	Bar      lipgloss.Style

	Help    lipgloss.Style
	HelpKey lipgloss.Style
	Filter  lipgloss.Style
}

// NewStyles builds the styles for a dark or light background. With noColor
// (NO_COLOR set) every distinction is carried by text and attributes —
// bold, reverse, underline — never by colour alone.
func NewStyles(isDark, noColor bool) Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) lipgloss.Style {
		if noColor {
			return lipgloss.NewStyle()
		}
		return lipgloss.NewStyle().Foreground(ld(lipgloss.Color(light), lipgloss.Color(dark)))
	}
	muted := c("#6B6B6B", "#8A8A8A")
	if noColor {
		muted = muted.Faint(true)
	}
	s := Styles{
		App:       lipgloss.NewStyle(),
		Brand:     c("#5A3FC0", "#B9A6FF").Bold(true),
		Tab:       muted,
		TabActive: c("#1F1F1F", "#F5F5F5").Bold(true).Underline(true),
		Rule:      muted,
		Hint:      c("#7A5C00", "#E8C268"),
		Header:    muted.Bold(true),
		Selected:  lipgloss.NewStyle().Reverse(true),
		Muted:     muted,
		Bold:      lipgloss.NewStyle().Bold(true),
		Title:     c("#1F1F1F", "#F5F5F5").Bold(true),
		Bad:       c("#C0262D", "#FF6B6B").Bold(true),
		Warn:      c("#A15C00", "#F2B35B"),
		Good:      c("#1E7A3C", "#6BD68B"),
		Info:      c("#1E5AA8", "#7FB4FF"),
		Headline:  c("#1F1F1F", "#F5F5F5").Bold(true),
		Bar:       c("#5A3FC0", "#B9A6FF"),
		Help:      muted,
		HelpKey:   c("#3A3A3A", "#CFCFCF").Bold(true),
		Filter:    c("#1E5AA8", "#7FB4FF"),
	}
	s.Demo = lipgloss.NewStyle().Bold(true).Reverse(true).Padding(0, 1)
	if !noColor {
		s.Demo = lipgloss.NewStyle().Bold(true).Padding(0, 1).
			Foreground(lipgloss.Color("#1F1F1F")).Background(lipgloss.Color("#F2B35B"))
	}
	return s
}
