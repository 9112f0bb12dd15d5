package convtest

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// Summary counts the conversations of a run.
type Summary struct {
	Conversations, Failed int
}

// Summarize counts results.
func Summarize(results []*FileResult) Summary {
	var s Summary
	for _, f := range results {
		for _, c := range f.Conversations {
			s.Conversations++
			if c.Failed() {
				s.Failed++
			}
		}
	}
	return s
}

// WriteText writes a line per conversation and, under a failed one, each
// turn's differences, expected against got, then a summary line.
func WriteText(w io.Writer, results []*FileResult) error {
	var b strings.Builder
	for _, f := range results {
		for _, c := range f.Conversations {
			status := "ok  "
			if c.Failed() {
				status = "FAIL"
			}
			fmt.Fprintf(&b, "%s %s: %s (%s)\n", status, f.Path, c.Name, c.Duration.Round(time.Millisecond))
			writeFailure(&b, "    ", c)
		}
	}
	s := Summarize(results)
	plural := "s"
	if s.Conversations == 1 {
		plural = ""
	}
	fmt.Fprintf(&b, "%d conversation%s, %d passed, %d failed\n", s.Conversations, plural, s.Conversations-s.Failed, s.Failed)
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("convtest: write report: %w", err)
	}
	return nil
}

// writeFailure writes what went wrong in c, each line indented.
func writeFailure(b *strings.Builder, indent string, c *ConversationResult) {
	for i, t := range c.Turns {
		if len(t.Diffs) == 0 {
			continue
		}
		where := ""
		if t.Turn.Line > 0 {
			where = fmt.Sprintf(" (line %d)", t.Turn.Line)
		}
		fmt.Fprintf(b, "%sturn %d%s, user: %q\n", indent, i+1, where, t.Turn.User)
		width := 0
		for _, d := range t.Diffs {
			width = max(width, len(d.Field))
		}
		for _, d := range t.Diffs {
			fmt.Fprintf(b, "%s  %-*s  expected %s\n", indent, width+1, d.Field+":", d.Expected)
			fmt.Fprintf(b, "%s  %-*s       got %s\n", indent, width+1, "", d.Got)
		}
	}
	if c.Err != nil {
		fmt.Fprintf(b, "%serror: %v\n", indent, c.Err)
	}
}

// JUnit XML, in the shape CI servers read: one testsuite per file, one
// testcase per conversation, a failure element holding the diff.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Time     string      `xml:"time,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitProblem `xml:"failure,omitempty"`
		Error     *junitProblem `xml:"error,omitempty"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// WriteJUnit writes results as JUnit XML under the suite name name. A
// conversation whose expectations failed is a failure; one the runtime
// refused a turn of is an error.
func WriteJUnit(w io.Writer, name string, results []*FileResult) error {
	doc := junitSuites{Name: name}
	var total time.Duration
	for _, f := range results {
		s := junitSuite{Name: f.Path, Time: seconds(f.Duration)}
		for _, c := range f.Conversations {
			tc := junitCase{Name: c.Name, Classname: f.Path, Time: seconds(c.Duration)}
			var b strings.Builder
			writeFailure(&b, "", c)
			switch {
			case c.Err != nil:
				tc.Error = &junitProblem{Message: c.Err.Error(), Type: "RuntimeError", Text: b.String()}
				s.Errors++
			case c.Failed():
				tc.Failure = &junitProblem{Message: "expectations not met", Type: "ExpectationFailed", Text: b.String()}
				s.Failures++
			}
			s.Tests++
			s.Cases = append(s.Cases, tc)
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		total += f.Duration
		doc.Suites = append(doc.Suites, s)
	}
	doc.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("convtest: write JUnit XML: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("convtest: write JUnit XML: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("convtest: write JUnit XML: %w", err)
	}
	return nil
}
