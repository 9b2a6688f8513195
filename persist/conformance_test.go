package persist_test

import (
	"testing"

	"github.com/embedis/embedis/persist"
	"github.com/embedis/embedis/persist/persisttest"
)

func TestConformanceSnapshotDir(t *testing.T) {
	persisttest.TestSnapshotBackend(t, func(t *testing.T) persisttest.SnapshotOpener {
		dir := t.TempDir()
		return func() (persist.SnapshotBackend, error) { return persist.OpenSnapshotDir(dir, "dump.rdb") }
	})
}

func TestConformanceSnapshotMem(t *testing.T) {
	persisttest.TestSnapshotBackend(t, func(t *testing.T) persisttest.SnapshotOpener {
		m := persist.NewMemSnapshots()
		return func() (persist.SnapshotBackend, error) { return m, nil }
	})
}

func TestConformanceSnapshotFilesOnMemLog(t *testing.T) {
	persisttest.TestSnapshotBackend(t, func(t *testing.T) persisttest.SnapshotOpener {
		m := persist.NewMemLog()
		return func() (persist.SnapshotBackend, error) { return persist.NewFileSnapshots(m, "dump.rdb") }
	})
}

func TestConformanceSnapshotFaultyOff(t *testing.T) {
	persisttest.TestSnapshotBackend(t, func(t *testing.T) persisttest.SnapshotOpener {
		m := persist.NewFaultySnapshots(persist.NewMemSnapshots())
		return func() (persist.SnapshotBackend, error) { return m, nil }
	})
	persisttest.TestSnapshotBackend(t, func(t *testing.T) persisttest.SnapshotOpener {
		dir := t.TempDir()
		return func() (persist.SnapshotBackend, error) {
			d, err := persist.OpenLogDir(dir)
			if err != nil {
				return nil, err
			}
			return persist.NewFileSnapshots(persist.NewFaultyLog(d), "dump.rdb")
		}
	})
}

func TestConformanceLogDir(t *testing.T) {
	persisttest.TestLogBackend(t, func(t *testing.T) persisttest.LogOpener {
		dir := t.TempDir() + "/appendonlydir" // OpenLogDir creates it
		return func() (persist.LogBackend, error) { return persist.OpenLogDir(dir) }
	})
}

func TestConformanceLogMem(t *testing.T) {
	persisttest.TestLogBackend(t, func(t *testing.T) persisttest.LogOpener {
		m := persist.NewMemLog()
		return func() (persist.LogBackend, error) { return m, nil }
	})
}

func TestConformanceLogFaultyOff(t *testing.T) {
	persisttest.TestLogBackend(t, func(t *testing.T) persisttest.LogOpener {
		m := persist.NewFaultyLog(persist.NewMemLog())
		return func() (persist.LogBackend, error) { return m, nil }
	})
	persisttest.TestLogBackend(t, func(t *testing.T) persisttest.LogOpener {
		dir := t.TempDir()
		return func() (persist.LogBackend, error) {
			d, err := persist.OpenLogDir(dir)
			if err != nil {
				return nil, err
			}
			return persist.NewFaultyLog(d), nil
		}
	})
}
