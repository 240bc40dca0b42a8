#include "tcprt/options.hpp"

#include <algorithm>

namespace tcprt {

bool option_bytes::assign(const std::uint8_t* data, std::size_t size) noexcept {
    if (size > max_option_bytes) return false;
    std::copy(data, data + size, bytes_.begin());
    size_ = static_cast<std::uint8_t>(size);
    return true;
}

bool option_bytes::put(std::initializer_list<std::uint8_t> bytes) noexcept {
    if (size_ + bytes.size() > max_option_bytes) return false;
    for (std::uint8_t b : bytes) bytes_[size_++] = b;
    return true;
}

bool option_bytes::eol() noexcept { return put({opt_eol}); }
bool option_bytes::nop() noexcept { return put({opt_nop}); }

bool option_bytes::mss(std::uint16_t mss) noexcept {
    return put({opt_mss, 4, static_cast<std::uint8_t>(mss >> 8), static_cast<std::uint8_t>(mss)});
}

bool option_bytes::wscale(std::uint8_t shift) noexcept { return put({opt_wscale, 3, shift}); }

bool option_bytes::sack_permitted() noexcept { return put({opt_sack_permitted, 2}); }

namespace {
constexpr std::uint8_t byte(std::uint32_t v, int shift) noexcept { return static_cast<std::uint8_t>(v >> shift); }
}  // namespace

bool option_bytes::timestamps(std::uint32_t val, std::uint32_t ecr) noexcept {
    return put({opt_timestamps, 10, byte(val, 24), byte(val, 16), byte(val, 8), byte(val, 0), byte(ecr, 24),
                byte(ecr, 16), byte(ecr, 8), byte(ecr, 0)});
}

bool option_bytes::sack(const sack_block* blocks, std::size_t count) noexcept {
    if (count == 0 || count > max_sack_blocks || size_ + 2 + 8 * count > max_option_bytes) return false;
    put({opt_sack, static_cast<std::uint8_t>(2 + 8 * count)});
    for (std::size_t i = 0; i < count; ++i)
        put({byte(blocks[i].left, 24), byte(blocks[i].left, 16), byte(blocks[i].left, 8), byte(blocks[i].left, 0),
             byte(blocks[i].right, 24), byte(blocks[i].right, 16), byte(blocks[i].right, 8), byte(blocks[i].right, 0)});
    return true;
}

bool option_bytes::append(const std::uint8_t* data, std::size_t size) noexcept {
    if (size_ + size > max_option_bytes) return false;
    for (std::size_t i = 0; i < size; ++i) bytes_[size_++] = data[i];
    return true;
}

bool option_bytes::raw(std::uint8_t kind, const std::uint8_t* data, std::size_t size) noexcept {
    if (size_ + 2 + size > max_option_bytes) return false;
    put({kind, static_cast<std::uint8_t>(2 + size)});
    for (std::size_t i = 0; i < size; ++i) bytes_[size_++] = data[i];
    return true;
}

bool operator==(const option_bytes& a, const option_bytes& b) noexcept {
    return a.size_ == b.size_ && std::equal(a.bytes_.begin(), a.bytes_.begin() + a.size_, b.bytes_.begin());
}

const char* message(option_error e) noexcept {
    switch (e) {
        case option_error::none: return "no error";
        case option_error::truncated: return "option kind without its length byte";
        case option_error::bad_length: return "option length below 2 or past the end of the options";
        case option_error::wrong_length: return "option with a length its kind does not allow";
    }
    return "unknown option error";
}

option_status parse_options(const std::uint8_t* p, std::size_t n, option_values& out) noexcept {
    out = option_values{};
    return visit_options(p, n, [&](const option& o) {
        if (!o.valid) return;
        switch (o.kind) {
            case opt_mss:
                out.has_mss = true;
                out.mss = static_cast<std::uint16_t>(o.value);
                break;
            case opt_wscale:
                out.has_wscale = true;
                out.wscale = static_cast<std::uint8_t>(o.value);
                break;
            case opt_sack_permitted: out.sack_permitted = true; break;
            case opt_timestamps:
                out.has_timestamps = true;
                out.ts_val = o.value;
                out.ts_ecr = o.echo;
                break;
            case opt_sack: {
                out.sack_count = static_cast<std::uint8_t>(o.value);
                const std::uint8_t* d = p + o.offset + 2;
                for (std::size_t i = 0; i < out.sack_count; ++i)
                    out.sack[i] = {detail::get32(d + 8 * i), detail::get32(d + 8 * i + 4)};
                break;
            }
            default: break;
        }
    });
}

std::string options_to_string(const std::uint8_t* p, std::size_t n) {
    std::string out;
    auto add = [&out](const std::string& s) {
        if (!out.empty()) out += ',';
        out += s;
    };
    const option_status st = visit_options(p, n, [&](const option& o) {
        const auto num = [](std::uint32_t v) { return std::to_string(v); };
        if (!o.valid) {
            add("kind " + num(o.kind) + " len " + num(o.size));
            return;
        }
        switch (o.kind) {
            case opt_eol: add("eol"); break;
            case opt_nop: add("nop"); break;
            case opt_mss: add("mss " + num(o.value)); break;
            case opt_wscale: add("wscale " + num(o.value)); break;
            case opt_sack_permitted: add("sackOK"); break;
            case opt_timestamps: add("TS val " + num(o.value) + " ecr " + num(o.echo)); break;
            case opt_sack: {
                std::string s = "sack";
                const std::uint8_t* d = p + o.offset + 2;
                for (std::uint32_t i = 0; i < o.value; ++i)
                    s += " " + num(detail::get32(d + 8 * i)) + ":" + num(detail::get32(d + 8 * i + 4));
                add(s);
                break;
            }
            default: add("kind " + num(o.kind) + " len " + num(o.size)); break;
        }
    });
    if (st.error == option_error::truncated || st.error == option_error::bad_length)
        add("<error at offset " + std::to_string(st.offset) + ">");
    return out;
}

std::string to_string(const option_bytes& b) { return options_to_string(b.data(), b.size()); }

}  // namespace tcprt
