// Near-miss detection for "did you mean" hints.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fsmgen {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive, since
// `Listen` for `LISTEN` is the most common slip. Stops early once the distance exceeds `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

// For each of `names`, the indices of the others at most one edit apart (edit_distance <= 1: a
// character added, removed or changed, two adjacent ones swapped, case ignored), ascending. Near
// linear: names are compared only when they share a key of their deletion neighbourhoods, not all
// pairs.
std::vector<std::vector<std::size_t>> one_edit_neighbours(const std::vector<std::string_view>& names);

// The candidate closest to `word` if it is close enough to be a plausible typo: at most one edit for
// short names, two for longer ones, and never the word itself.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'X'?" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace fsmgen
