// Package screen holds Rastro's victim-screening engines and the
// non-criminalisation rule. It is pure: no SQL, no HTTP, no globals.
//
//   - Protect applies the rule that a (possible) victim is never the subject
//     of a finding; every finding passes through it (the store calls it when a
//     finding is created and read). CheckRoleChange applies the same rule to
//     case-role changes. Overrides need the case's lead investigator and a
//     written reason, and return an audit record.
//   - Palermo applies the Palermo Protocol definition (act AND means AND
//     purpose; for a child under 18 at the time, act AND purpose), from
//     HTCDS fields (FactsFromHTCDS) or other answers.
//   - Interview and Score run the ILO/EC Delphi operational indicators
//     (ILO WCMS_105023, 2009) as a structured interview. The weights live in
//     ilo_indicators.UNVERIFIED.json, marked UNVERIFIED until checked against
//     the ILO publication; results carry that status and the source.
//
// Results read "indicators of trafficking present / not present" with the
// answers that drove them: screening aids, never legal determinations.
package screen
