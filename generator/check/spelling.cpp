#include "check/spelling.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <utility>

namespace fsmgen {

namespace {
char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::size_t allowed_edits(std::string_view word) { return word.size() <= 4 ? 1 : 2; }
}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
    std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (diff > limit) return limit + 1;
    // Three rolling rows: the transposition rule looks two rows back.
    std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        std::size_t row_min = cur[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]))
                cur[j] = std::min(cur[j], before[j - 2] + 1);
            row_min = std::min(row_min, cur[j]);
        }
        if (row_min > limit) return limit + 1;
        std::swap(before, prev);
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::vector<std::vector<std::size_t>> one_edit_neighbours(const std::vector<std::string_view>& names) {
    // Every name and every way of deleting one of its characters, folded to lower case, is a key.
    // Two names one edit apart always share a key: a substitution or a transposition at i deletes to
    // the same key (position i, or either of the swapped two), an insertion deletes to the shorter
    // name, and a case difference is the same key. Sharing one is not enough (abcd and bcda share
    // bcd), so each candidate is confirmed by edit_distance(); that also makes a collision of the
    // keys' hashes, which stand for the keys here, harmless. Sorting (hash, name) pairs groups the
    // names of each key: O(total length * log), no per-key allocation.
    std::vector<std::pair<std::size_t, std::size_t>> keys;  // (hash of a key, index of a name holding it)
    std::hash<std::string_view> hash;
    std::string folded, key;
    for (std::size_t i = 0; i < names.size(); ++i) {
        folded.assign(names[i]);
        for (char& c : folded) c = fold(c);
        keys.emplace_back(hash(folded), i);
        for (std::size_t at = 0; at < folded.size(); ++at) {
            key.assign(folded, 0, at);
            key.append(folded, at + 1, std::string::npos);
            keys.emplace_back(hash(key), i);
        }
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());  // aab deletes to ab twice

    std::vector<std::vector<std::size_t>> candidates(names.size());
    for (std::size_t run = 0; run < keys.size();) {
        std::size_t end = run + 1;
        while (end < keys.size() && keys[end].first == keys[run].first) ++end;
        for (std::size_t a = run; a < end; ++a)
            for (std::size_t b = run; b < end; ++b)
                if (a != b) candidates[keys[a].second].push_back(keys[b].second);
        run = end;
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::vector<std::size_t>& c = candidates[i];
        std::sort(c.begin(), c.end());
        c.erase(std::unique(c.begin(), c.end()), c.end());
        c.erase(std::remove_if(c.begin(), c.end(), [&](std::size_t j) { return edit_distance(names[i], names[j], 1) > 1; }),
                c.end());
    }
    return candidates;
}

std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates) {
    std::size_t limit = allowed_edits(word);
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const auto& c : candidates) {
        if (c == word) continue;
        std::size_t d = edit_distance(word, c, limit);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    auto best = closest(word, candidates);
    return best ? "; did you mean '" + *best + "'?" : std::string();
}

}  // namespace fsmgen
