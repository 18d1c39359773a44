package web

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"testing"
)

// TestNodeWebSocketKeepsEarlyFrames: the WebSocket the Node.js harnesses
// install (test/node-globals.mjs) delivers a frame that arrived in the same
// read as the upgrade response, which ws drops when the listener is added
// after 'open', as js-libp2p adds it. A relay's multistream header is such
// a frame; losing it failed TestJSClientThroughDevnet on a loaded machine
// with "could not negotiate /noise".
func TestNodeWebSocketKeepsEarlyFrames(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node is not installed: run make deps")
	}
	needNodeModules(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go upgradeAndSpeakFirst(c)
		}
	}()
	out, err := exec.Command("node", "test/early-frame.mjs", "ws://"+ln.Addr().String()+"/").CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var seen struct{ Plain, Queuing int }
	if err := json.Unmarshal(out, &seen); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if seen.Queuing != 1 {
		t.Fatalf("the harness's WebSocket saw %d frames of 1", seen.Queuing)
	}
	if seen.Plain != 0 {
		t.Fatalf("ws as it is saw the early frame (%d): the workaround in test/node-globals.mjs may no longer be needed", seen.Plain)
	}
}

// upgradeAndSpeakFirst answers a WebSocket upgrade and sends one text frame
// in the same write, as a server that speaks first does when the client is
// slow to read.
func upgradeAndSpeakFirst(c net.Conn) {
	defer c.Close()
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil {
		return
	}
	h := sha1.Sum([]byte(req.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	msg := "/multistream/1.0.0\n"
	resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: " + base64.StdEncoding.EncodeToString(h[:]) + "\r\n\r\n" +
		string([]byte{0x81, byte(len(msg))}) + msg
	if _, err := c.Write([]byte(resp)); err != nil {
		return
	}
	buf := make([]byte, 512)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}
