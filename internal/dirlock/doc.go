// Package dirlock keeps two processes from using one client data
// directory at once: its ticket wallet would be overwritten by each, and
// both would connect to the provider as the same peer.
package dirlock
