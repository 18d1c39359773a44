package client

// SetHookBeforeAck runs f where fetch is about to acknowledge what it
// kept (crash tests kill the process there).
func SetHookBeforeAck(f func()) { testHookBeforeAck = f }
