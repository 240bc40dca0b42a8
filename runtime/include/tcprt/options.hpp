// TCP options (RFC 9293 section 3.2; window scale and timestamps, RFC 7323; SACK, RFC 2018) in a
// fixed-size form that never allocates: the wire bytes of one header (at most 40), writers that
// append one option at a time, and a bounds-checked decoder of raw option bytes that anything
// reading real headers can use (the endpoint, `tcpfsm replay`, a capture reader).
//
//   option_bytes  the bytes as they travel, in order, NOPs and EOL included
//   visit_options walks raw bytes option by option and reports the first malformed one
//   parse_options what the options mean: MSS, shift, SACK-permitted, timestamps, SACK blocks
//   to_string     packetdrill's notation: "mss 1460,nop,wscale 7,sackOK,TS val 100 ecr 0"
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>

namespace tcprt {

// Option kinds (IANA "TCP Option Kind Numbers").
enum option_kind : std::uint8_t {
    opt_eol = 0,             // end of option list (RFC 9293)
    opt_nop = 1,             // no-operation, padding (RFC 9293)
    opt_mss = 2,             // maximum segment size, 4 bytes (RFC 9293 section 3.7.1)
    opt_wscale = 3,          // window scale shift, 3 bytes (RFC 7323 section 2)
    opt_sack_permitted = 4,  // 2 bytes, SYN only (RFC 2018 section 2)
    opt_sack = 5,            // 2 + 8n bytes, n = 1..4 (RFC 2018 section 3)
    opt_timestamps = 8,      // TSval and TSecr, 10 bytes (RFC 7323 section 3)
};

// The data offset field counts 32-bit words up to 15, the fixed header takes 5 of them.
inline constexpr std::size_t max_option_bytes = 40;
inline constexpr std::size_t max_sack_blocks = 4;
// RFC 7323 section 2.3: a shift above 14 is used as 14.
inline constexpr std::uint8_t max_wscale = 14;

struct sack_block {
    std::uint32_t left = 0, right = 0;
    friend constexpr bool operator==(const sack_block& a, const sack_block& b) noexcept {
        return a.left == b.left && a.right == b.right;
    }
};

// The options of one segment, as bytes on the wire. The writers return false, and write nothing,
// when the option would not fit in the 40 bytes.
class option_bytes {
public:
    constexpr option_bytes() = default;
    // Copies raw bytes (for instance from a captured header); false if there are more than 40.
    bool assign(const std::uint8_t* data, std::size_t size) noexcept;

    bool eol() noexcept;
    bool nop() noexcept;
    bool mss(std::uint16_t mss) noexcept;
    bool wscale(std::uint8_t shift) noexcept;
    bool sack_permitted() noexcept;
    bool timestamps(std::uint32_t val, std::uint32_t ecr) noexcept;
    bool sack(const sack_block* blocks, std::size_t count) noexcept;
    // Bytes copied as they are (an option taken from another list).
    bool append(const std::uint8_t* data, std::size_t size) noexcept;
    // Any kind with any data; the length byte is 2 + size.
    bool raw(std::uint8_t kind, const std::uint8_t* data, std::size_t size) noexcept;

    const std::uint8_t* data() const noexcept { return bytes_.data(); }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    void clear() noexcept { size_ = 0; }

    friend bool operator==(const option_bytes& a, const option_bytes& b) noexcept;
    friend bool operator!=(const option_bytes& a, const option_bytes& b) noexcept { return !(a == b); }

private:
    bool put(std::initializer_list<std::uint8_t> bytes) noexcept;
    std::array<std::uint8_t, max_option_bytes> bytes_{};
    std::uint8_t size_ = 0;
};

// One option as the decoder met it.
struct option {
    std::uint8_t kind = 0;
    std::uint8_t size = 0;     // bytes on the wire: 1 for EOL and NOP, otherwise its length byte
    std::uint16_t offset = 0;  // of its kind byte, from the start of the options
    // Decoded values of the known kinds with the right length: MSS, the shift, TSval, or for SACK
    // the number of blocks; echo is TSecr. Zero otherwise.
    std::uint32_t value = 0;
    std::uint32_t echo = 0;
    bool valid = true;  // false: a known kind with the wrong length, not decoded
};

enum class option_error : std::uint8_t {
    none,
    truncated,     // a kind other than EOL or NOP is the last byte: its length byte is missing
    bad_length,    // a length byte below 2, or one that runs past the end of the options
    wrong_length,  // a known kind with a length its RFC does not allow (the option is skipped)
};
const char* message(option_error e) noexcept;

struct option_status {
    option_error error = option_error::none;
    std::uint16_t offset = 0;  // where the first error is
    bool ok() const noexcept { return error == option_error::none; }
};

// Calls visit(const option&) for every option in order, EOL included (the walk stops after it, the
// rest is padding). A truncated or bad length ends the walk: from there on nothing can be trusted
// (the kind of the next option is unknown). A known kind with the wrong length is visited with
// value 0, reported, and skipped by its length byte; it is the first error that is returned.
template <class Visit>
option_status visit_options(const std::uint8_t* p, std::size_t n, Visit&& visit);

// What the options of a segment say. Absent options are marked by the has_ flags.
struct option_values {
    bool has_mss = false;
    bool has_wscale = false;
    bool sack_permitted = false;
    bool has_timestamps = false;
    std::uint16_t mss = 0;
    std::uint8_t wscale = 0;  // as sent; the receiver uses min(wscale, 14)
    std::uint8_t sack_count = 0;
    std::uint32_t ts_val = 0;
    std::uint32_t ts_ecr = 0;
    std::array<sack_block, max_sack_blocks> sack{};
};

// Decodes everything it can: the options before the first structural error, every well-formed
// option after a wrong-length one. The first error is returned.
option_status parse_options(const std::uint8_t* p, std::size_t n, option_values& out) noexcept;
inline option_status parse_options(const option_bytes& b, option_values& out) noexcept {
    return parse_options(b.data(), b.size(), out);
}

// packetdrill's notation, in wire order: "mss 1460,nop,wscale 7,sackOK,TS val 100 ecr 0,sack 1:2,eol";
// an unknown kind prints as "kind K len L". A malformed tail prints as "<error at offset N>".
std::string to_string(const option_bytes& b);
std::string options_to_string(const std::uint8_t* p, std::size_t n);

// ---- implementation of the template ---------------------------------------------------------------

namespace detail {
inline std::uint32_t get16(const std::uint8_t* p) noexcept { return std::uint32_t{p[0]} << 8 | p[1]; }
inline std::uint32_t get32(const std::uint8_t* p) noexcept {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}
// The only length each known kind may have; SACK is checked apart (2 + 8n).
constexpr std::uint8_t fixed_length(std::uint8_t kind) noexcept {
    switch (kind) {
        case opt_mss: return 4;
        case opt_wscale: return 3;
        case opt_sack_permitted: return 2;
        case opt_timestamps: return 10;
        default: return 0;
    }
}
}  // namespace detail

template <class Visit>
option_status visit_options(const std::uint8_t* p, std::size_t n, Visit&& visit) {
    option_status first{};
    std::size_t at = 0;
    while (at < n) {
        option o;
        o.kind = p[at];
        o.offset = static_cast<std::uint16_t>(at);
        if (o.kind == opt_eol || o.kind == opt_nop) {
            o.size = 1;
            visit(static_cast<const option&>(o));
            if (o.kind == opt_eol) break;
            ++at;
            continue;
        }
        if (at + 1 >= n) return first.ok() ? option_status{option_error::truncated, o.offset} : first;
        const std::uint8_t len = p[at + 1];
        if (len < 2 || len > n - at) return first.ok() ? option_status{option_error::bad_length, o.offset} : first;
        o.size = len;
        const std::uint8_t* d = p + at + 2;
        const std::uint8_t want = detail::fixed_length(o.kind);
        bool right = true;
        if (o.kind == opt_sack)
            right = len >= 10 && (len - 2) % 8 == 0 && static_cast<std::size_t>(len - 2) / 8 <= max_sack_blocks;
        else if (want != 0)
            right = len == want;
        if (!right) {
            o.valid = false;
            if (first.ok()) first = {option_error::wrong_length, o.offset};
        } else {
            switch (o.kind) {
                case opt_mss: o.value = detail::get16(d); break;
                case opt_wscale: o.value = d[0]; break;
                case opt_timestamps:
                    o.value = detail::get32(d);
                    o.echo = detail::get32(d + 4);
                    break;
                case opt_sack: o.value = static_cast<std::uint32_t>((len - 2) / 8); break;
                default: break;
            }
        }
        visit(static_cast<const option&>(o));
        at += len;
    }
    return first;
}

}  // namespace tcprt
