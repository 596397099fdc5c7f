// Package stats releases anonymised counts of victims in the style of the
// Counter Trafficking Data Collaborative (CTDC): cross-tabulations of
// CTDC-named variables (gender, ageBroad, citizenship, isForcedLabour, ...)
// mapped from HTCDS records.
//
// Two protections, chosen per release:
//
//   - k-anonymity with cell suppression (k configurable, default 11):
//     every count below k is withheld (primary suppression), then further
//     counts are withheld until no withheld count can be worked out from the
//     published row, column and grand totals (secondary suppression, checked
//     by solving the table's linear equations, not only by single
//     subtractions). Counts already published by an earlier release of the
//     same data set are taken as known, and a count that changed by less
//     than k since it was published is withheld: adding one victim and
//     releasing again does not reveal where that victim was counted.
//   - differential privacy: two-sided geometric (discrete Laplace) noise of
//     scale 1/ε on each inner count (one victim changes one inner count by
//     one), totals summed from the noisy counts; then the same suppression
//     on the noisy values (post-processing). Each release spends ε from the
//     data set's privacy budget, recorded in a Ledger; a release that would
//     overspend is refused.
//
// No SQL here: the lead backs Ledger with the store; FileLedger keeps a JSON
// file for tests and the command line.
package stats
