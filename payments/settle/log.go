package settle

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// badgerLogger routes badger's log lines to slog. Badger reports every
// compaction and flush at info level; only its warnings and errors are
// worth an operator's attention, so the rest is dropped.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(format string, args ...any) {
	b.log(slog.LevelError, format, args)
}

func (b badgerLogger) Warningf(format string, args ...any) {
	b.log(slog.LevelWarn, format, args)
}

func (badgerLogger) Infof(string, ...any)  {}
func (badgerLogger) Debugf(string, ...any) {}

func (b badgerLogger) log(level slog.Level, format string, args []any) {
	ctx := context.Background()
	if !b.l.Enabled(ctx, level) {
		return // do not format what nobody reads
	}
	b.l.Log(ctx, level, strings.TrimSpace(fmt.Sprintf(format, args...)), "component", "badger")
}
