package badgerdb

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// logger routes badger's log lines to slog. Badger reports every
// compaction and flush at info level; only its warnings and errors are
// worth an operator's attention, so the rest is dropped.
type logger struct{ l *slog.Logger }

func (b logger) Errorf(format string, args ...any) {
	b.log(slog.LevelError, format, args)
}

func (b logger) Warningf(format string, args ...any) {
	b.log(slog.LevelWarn, format, args)
}

func (logger) Infof(string, ...any)  {}
func (logger) Debugf(string, ...any) {}

func (b logger) log(level slog.Level, format string, args []any) {
	ctx := context.Background()
	if !b.l.Enabled(ctx, level) {
		return // do not format what nobody reads
	}
	b.l.Log(ctx, level, strings.TrimSpace(fmt.Sprintf(format, args...)), "component", "badger")
}
