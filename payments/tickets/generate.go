package tickets

//go:generate go run ./internal/vectorgen -o ../../contracts/testdata/tickets.json
