package lua

// LogLevel is a redis.log level; the values are Redis's (LL_DEBUG ... LL_WARNING).
type LogLevel int

// The redis.log levels, as redis.LOG_DEBUG ... redis.LOG_WARNING.
const (
	LogDebug   LogLevel = 0
	LogVerbose LogLevel = 1
	LogNotice  LogLevel = 2
	LogWarning LogLevel = 3
)

// Call is one command a script runs with redis.call or redis.pcall.
type Call struct {
	// Args is the command and its arguments, as strings (numbers already
	// formatted as Redis does, with %.17g).
	Args []string
	// RESP is the protocol the script asked for with redis.setresp: 2 (the
	// default) or 3. The host replies as the command would to a client that
	// negotiated this protocol (for example ZSCORE: a bulk string under 2, a
	// double under 3; HGETALL: a flat array under 2, a map under 3).
	RESP int
	// ReadOnly is set for EVAL_RO, EVALSHA_RO, FCALL_RO and scripts or functions
	// with the no-writes flag. The host refuses write commands with
	// ErrWriteInReadOnly.
	ReadOnly bool
	// AllowOOM is set when the script or function has the allow-oom flag: the
	// host skips its deny-oom check for this call.
	AllowOOM bool
	// AllowCrossSlot is set for legacy EVAL scripts (no shebang) and for
	// scripts and functions with the allow-cross-slot-keys flag: in
	// cluster mode the host lets their calls use keys of different slots
	// (each call's own keys must still share one slot).
	AllowCrossSlot bool

	// e is the engine running the script, for BeginWrite; killed is set
	// by BeginWrite when it refuses.
	e      *Engine
	killed bool
}

// BeginWrite must be called by the host before it runs a write command,
// after the command passed its checks (arity, ReadOnly ...) and before its
// handler changes anything. In one step, atomic with respect to Kill, it
// either marks the script as having written, after which Kill answers
// ErrUnkillable, or reports false because the script was already killed
// (or its context ended): then the host must not run the command, and the
// engine stops the script with the kill error whatever the host returns.
// So a script is killed either before its first write or not at all, never
// with half its writes applied.
//
// Why before and not after the command: a host that marked the script
// after the write returned would leave a window in which Kill, seeing a
// clean script, stops it between its first write and the next one.
func (c *Call) BeginWrite() bool {
	if c.e == nil {
		return true // a Call the host made itself, outside a run
	}
	if !c.e.beginWrite() {
		c.killed = true
		return false
	}
	return true
}

// Host is what the engine needs from the store that embeds it. Its methods are
// called on the goroutine that called Eval, EvalSHA, FCall or FunctionLoad,
// synchronously, while the script runs.
type Host interface {
	// Call dispatches one command for redis.call / redis.pcall and returns its
	// reply. A failing command returns an error reply (Kind KindError); the
	// engine raises it (redis.call) or hands it to the script (redis.pcall).
	// For an unknown command the host returns ErrUnknownCommand, for a wrong
	// argument count ErrWrongArgs, and for a command flagged no-script
	// ErrNotAllowed, as Redis does.
	Call(c *Call) Reply
	// Log writes a redis.log line. The host filters by its verbosity.
	Log(level LogLevel, msg string)
}

// Error texts a Host returns from Call, and the root replies with, exactly as
// Redis 7.0.
const (
	ErrUnknownCommand  = "ERR Unknown Redis command called from script"
	ErrWrongArgs       = "ERR Wrong number of args calling Redis command from script"
	ErrNotAllowed      = "ERR This Redis command is not allowed from script"
	ErrWriteInReadOnly = "ERR Write commands are not allowed from read-only scripts."
	// ErrBusy is the reply to most commands while a script runs past the busy threshold.
	ErrBusy = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	// ErrBusyFunction is ErrBusy while a function (FCALL) runs.
	ErrBusyFunction = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
	ErrNotBusy      = "NOTBUSY No scripts in execution right now."
	ErrUnkillable   = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command."
	ErrNoScript     = "NOSCRIPT No matching script. Please use EVAL."
	ErrNegativeKeys = "ERR Number of keys can't be negative"
	ErrTooManyKeys  = "ERR Number of keys can't be greater than number of args"
	ErrNotInteger   = "ERR value is not an integer or out of range"
	ErrROWithWrite  = "ERR Can not execute a script with write flag using *_ro command."
)
