// Package htcds imports and exports case data in the Human Trafficking Case
// Data Standard 2.0 (HTCDS), IOM's format for victim case records, as CSV
// with the standard's exact column names.
//
// Attribution: Human Trafficking Case Data Standard (HTCDS) by IOM, CC BY 4.0
// (https://github.com/UNMigration/HTCDS). No IOM endorsement implied. The
// field table and code lists are built in (fields_table.go); CSV has no
// comments, so Attribution is written by WriteSidecar next to an export.
//
// Reading accepts the standard's field names, the known variants found in
// the standard's own templates (KnownVariants) and the field labels; it
// checks every value against the built-in code lists and types and reports
// each problem with its line and column. Writing always uses the exact names
// in the standard's order, so export → import → export is byte-identical.
//
// ToEntities maps each row onto Rastro entities: a Person whose case role
// follows vic_TraffickingStatus (possible victim, victim) or the perpetrator
// fields (suspect), and an Event for the hte_ fields, every statement with
// provenance "line:N". FromEntities maps them back. Victims' personal data is
// left out of exports unless the caller asks for it (ExportOptions).
package htcds

// Attribution is the credit line the CC BY 4.0 licence of the standard asks
// for; exports carry it in their sidecar file.
const Attribution = "Human Trafficking Case Data Standard (HTCDS) by IOM, CC BY 4.0"
