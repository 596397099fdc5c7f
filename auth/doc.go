// Package auth holds Rastro's credentials logic: argon2id password hashes,
// random session and API tokens, the login rate limiter and the lock-out
// rule. It does no HTTP; the web package calls it.
package auth
