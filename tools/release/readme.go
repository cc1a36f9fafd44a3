package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// readme writes README.md's own-kernel example into dir as a new module's
// program would hold it: the C (its first c block) as saxpy.c, the Go
// (the go block of package main) as main.go, with the handle's lines
// (the go block that calls f.Handle) added at the end of main and the
// view they leave printed, and in want.txt what the program must print,
// as the README's comments say it: the one-shot call's line, then that
// view. The dry run adds go.mod and the headers (zerocall headers), runs
// the program and compares. The README is then a program that works
// with the release, not only text.
func readme(root, dir string) error {
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		return err
	}
	blocks := fenced(string(b))
	var c, prog, handle string
	for _, bl := range blocks {
		switch {
		case bl.lang == "c" && c == "":
			c = bl.text
		case bl.lang == "go" && prog == "" && strings.Contains(bl.text, "package main"):
			prog = bl.text
		case bl.lang == "go" && handle == "" && strings.Contains(bl.text, "f.Handle("):
			handle = bl.text
		}
	}
	if c == "" || prog == "" || handle == "" {
		return errors.New("README.md has no c block, go block of package main, or go block that calls f.Handle: the own-kernel example the release dry run runs")
	}
	called, err := after(prog, "fmt.Println(", "// ")
	if err != nil {
		return err
	}
	view, err := after(handle, "hout[:r.N] is ", "hout[:r.N] is ")
	if err != nil {
		return err
	}
	end := strings.LastIndex(prog, "\n}")
	if end < 0 {
		return errors.New("README.md: the go block of package main does not end with main's closing brace")
	}
	var body strings.Builder
	for line := range strings.Lines(handle) {
		body.WriteString("\t" + line)
	}
	body.WriteString("\tfmt.Println(hout[:r.N])\n")
	main := prog[:end+1] + body.String() + prog[end+1:]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, text := range map[string]string{"saxpy.c": c, "main.go": main, "want.txt": called + "\n" + view + "\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// block is a fenced code block of Markdown: its info string and its text.
type block struct{ lang, text string }

// fenced returns the fenced code blocks of md, in order.
func fenced(md string) []block {
	var bs []block
	var cur *block
	for line := range strings.Lines(md) {
		fence := strings.HasPrefix(line, "```")
		switch {
		case cur == nil && fence:
			cur = &block{lang: strings.TrimSpace(line[3:])}
		case cur != nil && fence:
			bs = append(bs, *cur)
			cur = nil
		case cur != nil:
			cur.text += line
		}
	}
	return bs
}

// after returns the rest of the first line of text holding marker, from
// the end of the first from on that line: what the README says a line
// prints.
func after(text, marker, from string) (string, error) {
	for line := range strings.Lines(text) {
		if !strings.Contains(line, marker) {
			continue
		}
		if i := strings.Index(line, from); i >= 0 {
			return strings.TrimSpace(line[i+len(from):]), nil
		}
	}
	return "", fmt.Errorf("README.md: no line with %q and %q, which says what the example prints", marker, from)
}
