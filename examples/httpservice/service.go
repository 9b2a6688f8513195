package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Service is the HTTP API. It knows only a go-redis client: whether that
// client reaches an embedded embedis store or a Redis server is decided in
// main (and in the tests, by embedistest).
type Service struct {
	rdb *redis.Client
	// SessionTTL is how long a session lives without activity.
	SessionTTL time.Duration
	// RateLimit is how many requests a client may make per RateWindow.
	RateLimit  int
	RateWindow time.Duration
}

// NewService returns the service with its default limits.
func NewService(rdb *redis.Client) *Service {
	return &Service{rdb: rdb, SessionTTL: 30 * time.Minute, RateLimit: 10, RateWindow: time.Minute}
}

// Handler routes the API:
//
//	POST /login?user=NAME   -> {"session": TOKEN}
//	GET  /me                -> {"user": NAME}   (header Authorization: TOKEN)
//	POST /visit/PAGE        -> {"page": PAGE, "views": N}
//
// Every route is rate limited per client (header X-Client, else the
// remote address), and answers 429 past the limit.
func (sv *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", sv.login)
	mux.HandleFunc("GET /me", sv.me)
	mux.HandleFunc("POST /visit/{page}", sv.visit)
	return sv.rateLimited(mux)
}

// limitScript is a fixed-window rate limiter: INCR the window's counter,
// give it the window's TTL on first use, refuse past the limit.
var limitScript = redis.NewScript(`local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end if n > tonumber(ARGV[2]) then return 0 end return 1`)

func (sv *Service) rateLimited(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		client := r.Header.Get("X-Client")
		if client == "" {
			client = r.RemoteAddr
		}
		ok, err := limitScript.Run(r.Context(), sv.rdb, []string{"ratelimit:" + client}, sv.RateWindow.Milliseconds(), sv.RateLimit).Int()
		if err != nil {
			fail(w, err)
			return
		}
		if ok == 0 {
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "rate limited"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (sv *Service) login(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user")
	if user == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "user missing"})
		return
	}
	var b [16]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	if err := sv.rdb.Set(r.Context(), "session:"+token, user, sv.SessionTTL).Err(); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"session": token})
}

func (sv *Service) me(w http.ResponseWriter, r *http.Request) {
	// GETEX reads the session and slides its expiry in one step.
	user, err := sv.rdb.GetEx(r.Context(), "session:"+r.Header.Get("Authorization"), sv.SessionTTL).Result()
	if errors.Is(err, redis.Nil) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "no session"})
		return
	}
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"user": user})
}

func (sv *Service) visit(w http.ResponseWriter, r *http.Request) {
	page := r.PathValue("page")
	n, err := sv.rdb.Incr(r.Context(), "views:"+page).Result()
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"page": page, "views": strconv.FormatInt(n, 10)})
}

// fail answers a storage error with 503, so callers retry later.
func fail(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": fmt.Sprint(err)})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// ping checks the storage at start-up.
func (sv *Service) ping(ctx context.Context) error { return sv.rdb.Ping(ctx).Err() }
