module github.com/parleybot/parley

go 1.26.0

require (
	github.com/chromedp/chromedp v0.23.0
	github.com/goccy/go-yaml v1.19.2
	github.com/peterh/liner v1.2.3
	github.com/spf13/cobra v1.10.2
	golang.org/x/text v0.43.0
	modernc.org/sqlite v1.60.1
)
