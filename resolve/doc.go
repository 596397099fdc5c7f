// Package resolve decides which records describe the same person: identity
// resolution for Rastro (issue 6). It is pure: records in, explained pairwise
// scores and clusters out; no SQL, no HTTP, no package-level state.
//
// The pipeline is the classic one:
//
//  1. Normalise every record once (prepare): names are folded (accents and
//     case removed), split into given names and surnames (Spanish double
//     surnames become separate tokens), nicknames and diminutives mapped to
//     their full form (Pepe → José, Bill → William), and given a phonetic key;
//     phones, e-mails, handles, IBANs, wallets and document numbers are
//     normalised to comparable strings.
//  2. Block (block.go): candidate pairs are the union of the pairs that share
//     at least one key: an exact identifier, a phonetic name key (order-free,
//     so swapped given name and surname still meet), surname + year of birth,
//     given name + date of birth, the date of birth, an e-mail's local part,
//     or a 4-gram of the compact name. Blocks above a size cap are skipped and
//     counted, so one common key never explodes the pair count. Name and
//     date-of-birth blocks above Options.SubBlockSize are not skipped but
//     sorted by date of birth and name, each record meeting its next
//     Options.BlockWindow neighbours (the sorted-neighbourhood method), so
//     a million records cost a few pairs each rather than n²/2 per block.
//     The rules' pairs are sorted and deduplicated once, so a pair found by
//     several keys is compared once.
//  3. Compare (compare.go): each field yields a comparison level (exact,
//     fuzzy by Jaro-Winkler or Levenshtein, phonetic, different, or missing).
//  4. Score (model.go, score.go): a Fellegi–Sunter model. u probabilities
//     come from random record pairs; m probabilities from EM sessions, one
//     per training blocking rule (date of birth, phonetic name, identifier),
//     each leaving out the fields its rule forced to agree, as Splink does;
//     EM runs over distinct level patterns, not pairs, of at most
//     Options.MaxTrainingPairs evenly sampled candidates; every candidate
//     is then scored once, in parallel, without building explanations
//     (only the kept pairs get them), and Jaro-Winkler is skipped when a
//     letter-count bound shows a level's threshold out of reach. The prior λ is fitted
//     over the candidates and rescaled to all pairs. Agreement on a value
//     gets a term-frequency adjustment: a common surname, city or a phone
//     used by many records proves less than a rare one. Identifiers are
//     strong but capped (Options.MaxIdentifierBits: rings share phones), and
//     a near-miss phone, e-mail or handle counts as different unless
//     Options.FuzzyIdentifiers is set: a number one digit off a suspect's is
//     the bystander's own number, not a typo.
//     By default a pair links only when a field other than names and city
//     corroborates it (an identifier, the exact date of birth, an address);
//     Options.AllowNameOnly lifts that for hand-typed data sets.
//  5. Cluster (cluster.go): pairs above the threshold are merged strongest
//     first, and a merge that would put two records judged "not the same" by
//     an analyst in one cluster is refused; "same" judgements always merge.
//
// The phonetic key (phonetic.go) is our own Spanish-aware key, closer to the
// Spanish Metaphone variants than to Soundex: it keeps the first letter,
// drops later vowels and a silent h, and merges b/v, c/s/z (before e, i),
// c/k/q(u), ll/y, g(e,i)/j, ph/f, and doubled letters. Its limits are stated
// there.
package resolve
