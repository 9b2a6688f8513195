package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/embedis/embedis/embedistest"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newTestService starts the service on a fresh embedis store (or on the
// Redis at $REDIS_ADDR), the way a user's service tests would.
func newTestService(t *testing.T) (*embedistest.Server, *httptest.Server) {
	srv := embedistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, Dialer: srv.Dial,
		MinRetryBackoff: time.Millisecond, MaxRetryBackoff: 2 * time.Millisecond})
	t.Cleanup(func() { rdb.Close() })
	hs := httptest.NewServer(NewService(rdb).Handler())
	t.Cleanup(hs.Close)
	return srv, hs
}

// call makes a request as client "test" and decodes the JSON answer.
func call(t *testing.T, hs *httptest.Server, method, path, auth string) (int, map[string]string) {
	t.Helper()
	req, err := http.NewRequest(method, hs.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", auth)
	req.Header.Set("X-Client", "test")
	resp, err := hs.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]string
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body
}

func TestVisitCounts(t *testing.T) {
	srv, hs := newTestService(t)
	for _, want := range []string{"1", "2", "3"} {
		code, body := call(t, hs, "POST", "/visit/home", "")
		require.Equal(t, http.StatusOK, code)
		assert.Equal(t, want, body["views"])
	}
	embedistest.AssertString(t, srv, "views:home", "3")
}

func login(t *testing.T, hs *httptest.Server) string {
	t.Helper()
	code, body := call(t, hs, "POST", "/login?user=alice", "")
	require.Equal(t, http.StatusOK, code)
	return body["session"]
}

func TestSessionExpires(t *testing.T) {
	srv, hs := newTestService(t)
	tok := login(t, hs)
	embedistest.AssertString(t, srv, "session:"+tok, "alice")
	embedistest.AssertTTL(t, srv, "session:"+tok, 29*time.Minute, 30*time.Minute)

	srv.FastForward(31 * time.Minute) // no sleeping: the store's clock jumps
	code, _ := call(t, hs, "GET", "/me", tok)
	assert.Equal(t, http.StatusUnauthorized, code)
	embedistest.AssertNotExists(t, srv, "session:"+tok)
}

func TestSessionSlidesWhileUsed(t *testing.T) {
	srv, hs := newTestService(t)
	tok := login(t, hs)
	for range 3 {
		srv.FastForward(20 * time.Minute)
		code, body := call(t, hs, "GET", "/me", tok)
		require.Equal(t, http.StatusOK, code)
		assert.Equal(t, "alice", body["user"])
	}
}

func TestRateLimit(t *testing.T) {
	srv, hs := newTestService(t)
	for i := range 10 {
		code, _ := call(t, hs, "POST", "/visit/home", "")
		require.Equal(t, http.StatusOK, code, "request %d", i+1)
	}
	code, _ := call(t, hs, "POST", "/visit/home", "")
	assert.Equal(t, http.StatusTooManyRequests, code)
	embedistest.AssertString(t, srv, "views:home", "10")

	srv.FastForward(time.Minute) // the window ends
	code, _ = call(t, hs, "POST", "/visit/home", "")
	assert.Equal(t, http.StatusOK, code)
}

// A Redis still loading its data answers LOADING; go-redis retries, so a
// short outage is invisible to the service's users.
func TestStorageLoadingIsRetried(t *testing.T) {
	srv, hs := newTestService(t)
	srv.InjectFault(embedistest.Fault{Command: "INCR", Times: 2, Err: embedistest.Loading})
	code, body := call(t, hs, "POST", "/visit/home", "")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, "1", body["views"])
}

// A longer outage, or a replica that refuses writes, reaches the user as
// 503, not as a crash or a wrong answer.
func TestStorageDownAnswers503(t *testing.T) {
	srv, hs := newTestService(t)
	srv.InjectFault(embedistest.Fault{Command: "SET", Err: embedistest.ReadOnly})
	code, body := call(t, hs, "POST", "/login?user=alice", "")
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Contains(t, body["error"], "READONLY")
	// Dropped connections are retried on a new one.
	srv.InjectFault(embedistest.Fault{Command: "INCR", Times: 1, Drop: true})
	code, _ = call(t, hs, "POST", "/visit/home", "")
	assert.Equal(t, http.StatusOK, code)
}
