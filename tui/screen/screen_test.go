package screen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestWatchRebuildsTheScreenAndSendsNothing: redraws (clear, cursor
// moves, overwrite) end as the final screen, text and binary frames
// alike; the token arrives; the watcher writes no frame.
func TestWatchRebuildsTheScreenAndSendsNothing(t *testing.T) {
	t.Parallel()
	var got atomic.Int32
	var token atomic.Value
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token.Store(r.URL.Query().Get("token"))
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		go func() {
			for {
				if _, _, err := ws.ReadMessage(); err != nil {
					return
				}
				got.Add(1)
			}
		}()
		_ = ws.WriteMessage(websocket.BinaryMessage, []byte("old line\r\nsecond"))
		_ = ws.WriteMessage(websocket.TextMessage, []byte("\x1b[2J\x1b[Hnew top\r\n\x1b[6n"))
		_ = ws.WriteMessage(websocket.TextMessage, []byte("\x1b[2;1Hbottom"))
		time.Sleep(50 * time.Millisecond) // let a stray client frame arrive
		_ = ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	}))
	t.Cleanup(srv.Close)
	scr := New(40, 5)
	frames := 0
	err := Watch(context.Background(), srv.URL, "tok", scr, func() { frames++ })
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	if want := "new top\nbottom"; scr.Text() != want {
		t.Errorf("screen %q, want %q", scr.Text(), want)
	}
	if frames != 3 || got.Load() != 0 || token.Load() != "tok" {
		t.Errorf("frames %d, sent %d, token %v", frames, got.Load(), token.Load())
	}
}

func TestWatchRefusedNamesTheStatusNotTheToken(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	err := Watch(context.Background(), srv.URL, "secret-token", New(10, 2), nil)
	if err == nil || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "secret-token") {
		t.Fatalf("err %v", err)
	}
}

func TestWatchEndsWithTheContext(t *testing.T) {
	t.Parallel()
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		_, _, _ = ws.ReadMessage() // until the watcher hangs up
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := Watch(ctx, srv.URL, "", New(10, 2), nil); err != context.DeadlineExceeded {
		t.Fatalf("err %v, want the context's", err)
	}
}
