// The packetdrill script language, read by a hand-written lexer and a recursive-descent parser that
// follow packetdrill's lexer.l and parser.y: tokens are separated by any white space (a statement
// may span lines), `//` and `/* */` are comments, `%{ ... }%` is a code block, `--name=value` an
// option. Errors stop at the first one, with its line and column; nothing here throws.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "tcprt/script.hpp"
#include "tcprt/segment.hpp"

namespace tcprt::script {

namespace {

// `assert tcpi_state == TCP_NAME` with an optional `, tcpi_state` message: the expected state's name,
// or nothing for any other python.
std::optional<std::string> state_assertion(std::string_view code) {
    std::vector<std::string> words;
    for (std::size_t i = 0; i < code.size();) {
        const char c = code[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t j = i;
            while (j < code.size() && (std::isalnum(static_cast<unsigned char>(code[j])) || code[j] == '_')) ++j;
            words.emplace_back(code.substr(i, j - i));
            i = j;
        } else if (code.compare(i, 2, "==") == 0) {
            words.emplace_back("==");
            i += 2;
        } else {
            words.emplace_back(1, c);
            ++i;
        }
    }
    const bool message = words.size() == 6 && words[4] == "," && words[5] == "tcpi_state";
    if ((words.size() != 4 && !message) || words[0] != "assert" || words[1] != "tcpi_state" || words[2] != "==")
        return std::nullopt;
    for (std::string_view n : tcpi_state_names)
        if (n == words[3]) return words[3];
    return std::nullopt;
}

// ---- #ifdef / #else / #endif ------------------------------------------------------------------

struct preprocessed {
    std::string text;  // excluded lines blanked, so that positions stay those of the file
    std::optional<diagnostic> error;
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// A `--define=NAME`, `--define=NAME=value` or `--define NAME` line of the script's own options.
void collect_script_defines(std::string_view text, std::vector<std::string>& defines) {
    std::size_t at = 0;
    while (at <= text.size()) {
        const std::size_t nl = text.find('\n', at);
        std::string_view line = trim(text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at));
        if (line.substr(0, 8) == "--define") {
            line.remove_prefix(8);
            if (!line.empty() && (line.front() == '=' || line.front() == ' ')) {
                line = trim(line.substr(1));
                std::size_t n = 0;
                while (n < line.size() && is_name_char(line[n])) ++n;
                if (n > 0) defines.emplace_back(line.substr(0, n));
            }
        }
        if (nl == std::string_view::npos) break;
        at = nl + 1;
    }
}

preprocessed preprocess(std::string_view text, std::vector<std::string> defines) {
    collect_script_defines(text, defines);
    auto defined = [&](std::string_view name) {
        for (const auto& d : defines)
            if (d == name) return true;
        return false;
    };
    struct frame {
        bool parent_active, taken, in_else;
        int line;
    };
    std::vector<frame> stack;
    bool active = true;
    preprocessed out;
    out.text.reserve(text.size());
    int line_no = 1;
    std::size_t at = 0;
    while (at <= text.size()) {
        const std::size_t nl = text.find('\n', at);
        const std::string_view line = text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
        const std::string_view t = trim(line);
        bool directive = false;
        if (!t.empty() && t.front() == '#') {
            directive = true;
            std::string_view rest = trim(t.substr(1));
            std::size_t n = 0;
            while (n < rest.size() && is_name_char(rest[n])) ++n;
            const std::string_view word = rest.substr(0, n);
            const std::string_view arg = trim(rest.substr(n));
            if (word == "ifdef" || word == "ifndef") {
                if (arg.empty() || !std::all_of(arg.begin(), arg.end(), is_name_char)) {
                    out.error = diagnostic{{line_no, 1}, "#" + std::string(word) + " needs one name"};
                    return out;
                }
                const bool cond = defined(arg) == (word == "ifdef");
                stack.push_back({active, cond, false, line_no});
                active = active && cond;
            } else if (word == "else") {
                if (stack.empty() || stack.back().in_else) {
                    out.error = diagnostic{{line_no, 1}, stack.empty() ? "#else without #ifdef" : "second #else"};
                    return out;
                }
                stack.back().in_else = true;
                active = stack.back().parent_active && !stack.back().taken;
            } else if (word == "endif") {
                if (stack.empty()) {
                    out.error = diagnostic{{line_no, 1}, "#endif without #ifdef"};
                    return out;
                }
                active = stack.back().parent_active;
                stack.pop_back();
            } else {
                out.error = diagnostic{{line_no, 1}, "unknown directive '#" + std::string(word) +
                                                         "' (known: #ifdef, #ifndef, #else, #endif)"};
                return out;
            }
        }
        if (active && !directive) out.text += line;
        else out.text.append(line.size(), ' ');
        if (nl == std::string_view::npos) break;
        out.text += '\n';
        at = nl + 1;
        ++line_no;
    }
    if (!stack.empty()) out.error = diagnostic{{stack.back().line, 1}, "#ifdef without #endif"};
    return out;
}

// ---- tokens -----------------------------------------------------------------------------------

enum class tok : std::uint8_t { end, integer, floating, hex, word, string, backquoted, option, code, ellipsis, ipv4, punct };

struct token {
    tok kind = tok::end;
    std::string_view text;
    position at;
    std::int64_t integer = 0;
    double floating = 0;
    char punct = 0;
};

class lexer {
public:
    explicit lexer(std::string_view s) : s_(s) {}

    // false with error set on a bad token
    bool next(token& t) {
        skip_space_and_comments();
        if (error) return false;
        t = token{};
        t.at = pos();
        const std::size_t start = i_;
        if (i_ >= s_.size()) {
            t.kind = tok::end;
            return true;
        }
        const char c = s_[i_];
        auto fail = [&](std::string msg) {
            error = diagnostic{t.at, std::move(msg)};
            return false;
        };
        if (s_.compare(i_, 3, "...") == 0) {
            advance(3);
            t.kind = tok::ellipsis;
        } else if (s_.compare(i_, 2, "%{") == 0) {
            const std::size_t close = s_.find("}%", i_ + 2);
            if (close == std::string_view::npos) return fail("code block '%{' without its closing '}%'");
            advance(close + 2 - i_);
            t.kind = tok::code;
        } else if (s_.compare(i_, 2, "--") == 0 && i_ + 2 < s_.size() && is_name_char(s_[i_ + 2])) {
            advance(2);
            while (i_ < s_.size() && is_name_char(s_[i_])) advance(1);
            t.kind = tok::option;
        } else if (c == '"' || c == '`') {
            advance(1);
            while (i_ < s_.size() && s_[i_] != c) advance(s_[i_] == '\\' && i_ + 1 < s_.size() ? 2 : 1);
            if (i_ >= s_.size()) return fail(std::string(c == '"' ? "string" : "backquoted command") + " without its closing " + c);
            advance(1);
            t.kind = c == '"' ? tok::string : tok::backquoted;
        } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && digit_at(i_ + 1)) ||
                   (c == '-' && (digit_at(i_ + 1) || (i_ + 2 < s_.size() && s_[i_ + 1] == '.' && digit_at(i_ + 2))))) {
            if (!number(t)) return false;
        } else if (is_name_char(c)) {
            while (i_ < s_.size() && is_name_char(s_[i_])) advance(1);
            t.kind = tok::word;
        } else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
            return fail("unexpected byte 0x" + hex(static_cast<unsigned char>(c)));
        } else {
            advance(1);
            t.kind = tok::punct;
            t.punct = c;
        }
        t.text = s_.substr(start, i_ - start);
        return true;
    }

    std::optional<diagnostic> error;

private:
    static std::string hex(unsigned v) {
        const char* d = "0123456789abcdef";
        return std::string{d[v >> 4], d[v & 15]};
    }
    bool digit_at(std::size_t k) const { return k < s_.size() && std::isdigit(static_cast<unsigned char>(s_[k])); }

    // [-]?[0-9]+, [-]?[0-9]*.[0-9]+, 0x[0-9a-f]+, and a.b.c.d (an IPv4 address)
    bool number(token& t) {
        const std::size_t start = i_;
        const position p = pos();
        if (s_.compare(i_, 2, "0x") == 0 || s_.compare(i_, 2, "0X") == 0) {
            advance(2);
            std::uint64_t v = 0;
            std::size_t digits = 0;
            while (i_ < s_.size() && std::isxdigit(static_cast<unsigned char>(s_[i_]))) {
                if (v >> 60) return bad(p, "number too large");
                const char ch = static_cast<char>(std::tolower(static_cast<unsigned char>(s_[i_])));
                v = v * 16 + static_cast<std::uint64_t>(ch <= '9' ? ch - '0' : ch - 'a' + 10);
                advance(1);
                ++digits;
            }
            if (digits == 0) return bad(p, "'0x' without hex digits");
            t.kind = tok::hex;
            t.integer = static_cast<std::int64_t>(v);
            return true;
        }
        bool negative = false;
        if (s_[i_] == '-') {
            negative = true;
            advance(1);
        }
        std::uint64_t v = 0;
        while (digit_at(i_)) {
            if (v > 100000000000000000ull) return bad(p, "number too large");
            v = v * 10 + static_cast<std::uint64_t>(s_[i_] - '0');
            advance(1);
        }
        int dots = 0;
        std::size_t k = i_;
        while (k < s_.size() && s_[k] == '.' && digit_at(k + 1)) {
            ++dots;
            ++k;
            while (digit_at(k)) ++k;
        }
        if (dots == 3 && !negative) {
            advance(k - i_);
            t.kind = tok::ipv4;
            return true;
        }
        if (dots >= 1) {
            // one fraction only; "1.2.3" is neither a time nor an address
            std::size_t end = i_ + 1;
            while (digit_at(end)) ++end;
            advance(end - i_);
            const std::string text(s_.substr(start, i_ - start));
            t.kind = tok::floating;
            t.floating = std::strtod(text.c_str(), nullptr);
            return true;
        }
        t.kind = tok::integer;
        t.integer = negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
        return true;
    }
    bool bad(position p, std::string msg) {
        error = diagnostic{p, std::move(msg)};
        return false;
    }

    void skip_space_and_comments() {
        for (;;) {
            while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) advance(1);
            if (s_.compare(i_, 2, "//") == 0) {
                while (i_ < s_.size() && s_[i_] != '\n') advance(1);
            } else if (s_.compare(i_, 2, "/*") == 0) {
                const position p = pos();
                const std::size_t close = s_.find("*/", i_ + 2);
                if (close == std::string_view::npos) {
                    error = diagnostic{p, "comment '/*' without its closing '*/'"};
                    return;
                }
                advance(close + 2 - i_);
            } else {
                return;
            }
        }
    }

    position pos() const { return {line_, col_}; }
    void advance(std::size_t n) {
        for (std::size_t k = 0; k < n && i_ < s_.size(); ++k, ++i_) {
            if (s_[i_] == '\n') {
                ++line_;
                col_ = 1;
            } else {
                ++col_;
            }
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
    int line_ = 1, col_ = 1;
};

// ---- the parser -------------------------------------------------------------------------------

class parser {
public:
    explicit parser(std::string_view text) : lex_(text) { shift(); }

    parse_result run() {
        parsed out;
        // options: --name[=value]
        while (ok_ && cur_.kind == tok::option) {
            option_setting o{cur_.at, std::string(cur_.text.substr(2)), {}};
            shift();
            if (ok_ && is_punct('=')) {
                shift();
                if (!option_value(o.value)) break;
            }
            out.settings.push_back(std::move(o));
        }
        // an optional init command, then events
        while (ok_ && cur_.kind != tok::end) {
            event e;
            if (!event_line(e, out)) break;
            out.events.push_back(std::move(e));
        }
        parse_result r;
        if (!ok_) {
            r.error = error_;
            return r;
        }
        r.script = std::move(out);
        return r;
    }

private:
    void shift() {
        if (!ok_) return;
        if (!lex_.next(cur_)) {
            ok_ = false;
            error_ = *lex_.error;
        }
    }
    bool is_punct(char c) const { return cur_.kind == tok::punct && cur_.punct == c; }
    bool is_word(std::string_view w) const { return cur_.kind == tok::word && cur_.text == w; }
    bool fail(std::string msg) { return fail_at(cur_.at, std::move(msg)); }
    bool fail_at(position p, std::string msg) {
        if (ok_) {
            ok_ = false;
            error_ = {p, std::move(msg)};
        }
        return false;
    }
    std::string describe() const {
        switch (cur_.kind) {
            case tok::end: return "end of file";
            default: return "'" + std::string(cur_.text.substr(0, 40)) + "'";
        }
    }
    bool expect(char c, const char* what) {
        if (!is_punct(c)) return fail(std::string("expected '") + c + "' " + what + ", found " + describe());
        shift();
        return ok_;
    }
    void unsupported(parsed& out, position at, std::string why) {
        if (!out.unsupported) {
            out.unsupported = std::move(why);
            out.unsupported_at = at;
        }
    }

    bool option_value(std::string& v) {
        switch (cur_.kind) {
            case tok::integer:
            case tok::floating:
            case tok::hex:
            case tok::word:
            case tok::ipv4:
                v = std::string(cur_.text);
                shift();
                break;
            case tok::string:
            case tok::backquoted:
                v = std::string(cur_.text.substr(1, cur_.text.size() - 2));
                shift();
                break;
            default: return fail("expected an option value after '=', found " + describe());
        }
        // --define=NAME=value
        if (ok_ && is_punct('=')) {
            shift();
            std::string rhs;
            if (!option_value(rhs)) return false;
            v += "=" + rhs;
        }
        return ok_;
    }

    // seconds as INTEGER or FLOAT, to microseconds
    bool time_value(std::int64_t& usecs) {
        if (cur_.kind == tok::integer) {
            if (cur_.integer < 0) return fail("negative time");
            if (cur_.integer > 1000000000) return fail("time too large");
            usecs = cur_.integer * 1000000;
        } else if (cur_.kind == tok::floating) {
            if (cur_.floating < 0) return fail("negative time");
            if (cur_.floating > 1e9) return fail("time too large");
            usecs = static_cast<std::int64_t>(cur_.floating * 1e6 + 0.5);
        } else {
            return fail("expected a time in seconds, found " + describe());
        }
        shift();
        return ok_;
    }

    bool event_line(event& e, parsed& out) {
        e.at = cur_.at;
        if (cur_.kind == tok::backquoted && !seen_event_) {
            // the init command before the first event
            e.time = {event_time::kind::absolute, 0, 0};
            e.action = command_spec{std::string(cur_.text.substr(1, cur_.text.size() - 2))};
            shift();
            return ok_;
        }
        seen_event_ = true;
        if (is_punct('*')) {
            e.time.what = event_time::kind::any;
            shift();
        } else if (is_punct('+')) {
            shift();
            if (!time_value(e.time.usecs)) return false;
            e.time.what = event_time::kind::relative;
            if (is_punct('~')) {
                shift();
                if (!expect('+', "after '~' in a relative time range")) return false;
                if (!time_value(e.time.end_usecs)) return false;
                e.time.what = event_time::kind::relative_range;
            }
        } else if (cur_.kind == tok::integer || cur_.kind == tok::floating) {
            if (!time_value(e.time.usecs)) return false;
            e.time.what = event_time::kind::absolute;
            if (is_punct('~')) {
                shift();
                if (!time_value(e.time.end_usecs)) return false;
                e.time.what = event_time::kind::absolute_range;
            }
        } else if (cur_.kind == tok::backquoted) {
            // a cleanup command after the last event
            e.time = {event_time::kind::relative, 0, 0};
            e.action = command_spec{std::string(cur_.text.substr(1, cur_.text.size() - 2))};
            shift();
            return ok_;
        } else {
            return fail("expected an event time ('0.1', '+0.1', '*' or a range), found " + describe());
        }
        const bool ranged = e.time.what == event_time::kind::any || e.time.what == event_time::kind::absolute_range ||
                            e.time.what == event_time::kind::relative_range;
        if (ranged && e.time.what != event_time::kind::any && e.time.end_usecs < e.time.usecs)
            return fail_at(e.at, "time range is backwards");
        // the action
        if (is_punct('<') || is_punct('>')) {
            segment_spec s;
            if (!segment_line(s, out)) return false;
            if (ranged && s.inbound) return fail_at(e.at, "a time range or '*' can only be used with outbound packets");
            e.action = std::move(s);
            return ok_;
        }
        if (ranged) return fail_at(e.at, "a time range or '*' can only be used with outbound packets");
        if (cur_.kind == tok::backquoted) {
            e.action = command_spec{std::string(cur_.text.substr(1, cur_.text.size() - 2))};
            shift();
            return ok_;
        }
        if (cur_.kind == tok::code) {
            if (auto expected = state_assertion(cur_.text.substr(2, cur_.text.size() - 4))) {
                e.action = state_check{std::move(*expected)};
            } else {
                unsupported(out, cur_.at, "code block (%{ ... }%): python is not run (only 'assert tcpi_state == TCP_...')");
                e.action = command_spec{};
            }
            shift();
            return ok_;
        }
        call_spec c;
        if (cur_.kind == tok::ellipsis) {
            shift();
            c.blocking_end = true;
            if (!time_value(c.end_usecs)) return false;
        }
        if (cur_.kind != tok::word) return fail("expected a packet ('<' or '>'), a system call or a command, found " + describe());
        c.name = std::string(cur_.text);
        shift();
        if (!expect('(', "after the system call name")) return false;
        if (!is_punct(')')) {
            for (;;) {
                expr a;
                if (!expression(a)) return false;
                c.args.push_back(std::move(a));
                if (is_punct(',')) {
                    shift();
                    continue;
                }
                break;
            }
        }
        if (!expect(')', "after the system call arguments")) return false;
        if (!expect('=', "and the expected result after the system call")) return false;
        if (!expression(c.result)) return false;
        if (cur_.kind == tok::word) {
            c.error = std::string(cur_.text);
            shift();
        }
        if (is_punct('(')) {  // a note: "(Operation now in progress)"
            shift();
            while (ok_ && !is_punct(')') && cur_.kind != tok::end) shift();
            if (!expect(')', "to close the note")) return false;
        }
        e.action = std::move(c);
        return ok_;
    }

    bool u32(std::uint32_t& v, const char* what) {
        if (cur_.kind != tok::integer && cur_.kind != tok::hex) return fail(std::string("expected ") + what + ", found " + describe());
        if (cur_.integer < 0 || cur_.integer > 0xFFFFFFFFll) return fail(std::string(what) + " out of range");
        v = static_cast<std::uint32_t>(cur_.integer);
        shift();
        return ok_;
    }

    bool segment_line(segment_spec& s, parsed& out) {
        const position seg_at = cur_.at;
        s.inbound = is_punct('<');
        shift();
        // IP-level prefixes and other protocols are not modelled.
        if (is_word("ipv4") || is_word("ipv6") || is_word("udp") || is_word("icmp") || is_word("gre") || is_word("mpls") ||
            is_punct('(') || is_punct('[') || cur_.kind == tok::ipv4) {
            unsupported(out, cur_.at, "packet '" + std::string(cur_.text) + "': only plain TCP segments are replayed");
            // skip to the end of the line: nothing else on it can be trusted
            const int line = cur_.at.line;
            while (ok_ && cur_.kind != tok::end && cur_.at.line == line) shift();
            return ok_;
        }
        // ports "a>b"
        if (cur_.kind == tok::integer) {
            shift();
            if (!expect('>', "between the ports")) return false;
            std::uint32_t dummy = 0;
            if (!u32(dummy, "a destination port")) return false;
        }
        // flags: a word of FSRPUEWC and an optional '.', or '.' alone, or '-'
        const position flags_at = cur_.at;
        if (cur_.kind == tok::word) {
            s.flags_text = std::string(cur_.text);
            shift();
            if (is_punct('.')) {
                s.flags_text += '.';
                shift();
            }
        } else if (is_punct('.')) {
            s.flags_text = ".";
            shift();
        } else if (is_punct('-')) {
            s.flags_text = "-";
            shift();
        } else {
            return fail("expected TCP flags (S, S., ., F., R, P., ...), found " + describe());
        }
        if (s.flags_text != "-") {
            for (char f : s.flags_text) {
                switch (f) {
                    case 'F': s.flags |= FIN; break;
                    case 'S': s.flags |= SYN; break;
                    case 'R': s.flags |= RST; break;
                    case 'P': s.flags |= PSH; break;
                    case 'U': s.flags |= URG; break;
                    case '.': s.flags |= ACK; break;
                    case 'E':
                    case 'W':
                    case 'C': unsupported(out, flags_at, "ECN flag '" + std::string(1, f) + "'"); break;
                    default: return fail_at(flags_at, "unknown TCP flag '" + std::string(1, f) + "' in '" + s.flags_text + "'");
                }
            }
        }
        // start:end(len)
        std::uint32_t end = 0;
        if (!u32(s.start, "the start sequence number (start:end(len))")) return false;
        if (!expect(':', "between the start and end sequence numbers")) return false;
        if (!u32(end, "the end sequence number")) return false;
        if (!expect('(', "before the payload length")) return false;
        const position len_at = cur_.at;
        if (!u32(s.len, "the payload length")) return false;
        if (!expect(')', "after the payload length")) return false;
        if (s.len > 0xFFFF) return fail_at(len_at, "TCP payload size out of range");
        if (end != static_cast<std::uint32_t>(s.start + s.len))
            return fail_at(len_at, "inconsistent TCP sequence numbers and payload size");
        // ack N, win N, urg N in that order, each optional
        if (is_word("ack")) {
            shift();
            if (!u32(s.ack, "the acknowledgment number after 'ack'")) return false;
        }
        if (is_word("win")) {
            shift();
            std::uint32_t w = 0;
            const position w_at = cur_.at;
            if (!u32(w, "the window after 'win'")) return false;
            if (w > 0xFFFF) return fail_at(w_at, "TCP window value out of range");
            s.win = w;
        }
        if (is_word("urg")) {
            unsupported(out, cur_.at, "urgent pointer");
            shift();
            std::uint32_t dummy = 0;
            if (!u32(dummy, "the urgent pointer")) return false;
        }
        if (s.inbound && !s.win) return fail_at(seg_at, "window must be specified for inbound packets ('win N')");
        if (is_punct('<')) {
            shift();
            if (cur_.kind == tok::ellipsis) {
                if (s.inbound) return fail("<...> for TCP options can only be used with outbound packets");
                s.any_options = true;
                shift();
            } else {
                for (;;) {
                    if (!tcp_option(s.options, out)) return false;
                    if (is_punct(',')) {
                        shift();
                        continue;
                    }
                    break;
                }
            }
            if (!expect('>', "to close the TCP options")) return false;
        }
        if (is_punct('{')) return fail("fuzzing options '{...}' are not supported");
        return ok_;
    }

    bool tcp_option(option_bytes& b, parsed& out) {
        const position at = cur_.at;
        auto room = [&](bool fits) { return fits || fail_at(at, "TCP option list too long (40 bytes at most)"); };
        if (cur_.kind != tok::word) return fail("expected a TCP option (mss, nop, wscale, sackOK, TS, sack, eol), found " + describe());
        const std::string_view w = cur_.text;
        shift();
        std::uint32_t v = 0, e = 0;
        if (w == "nop") return room(b.nop());
        if (w == "eol") return room(b.eol());
        if (w == "sackOK") return room(b.sack_permitted());
        if (w == "mss") {
            if (!u32(v, "the MSS value")) return false;
            if (v > 0xFFFF) return fail_at(at, "mss value out of range");
            return room(b.mss(static_cast<std::uint16_t>(v)));
        }
        if (w == "wscale") {
            if (!u32(v, "the window scale shift count")) return false;
            if (v > 0xFF) return fail_at(at, "window scale shift count out of range");
            return room(b.wscale(static_cast<std::uint8_t>(v)));
        }
        if (w == "TS") {
            if (!is_word("val")) return fail("expected 'val' after 'TS'");
            shift();
            if (!u32(v, "the TS val")) return false;
            if (!is_word("ecr")) return fail("expected 'ecr' after the TS val");
            shift();
            if (!u32(e, "the TS ecr")) return false;
            return room(b.timestamps(v, e));
        }
        if (w == "sack") {
            std::array<sack_block, max_sack_blocks> blocks{};
            std::size_t n = 0;
            while (cur_.kind == tok::integer) {
                if (n == max_sack_blocks) return fail("more than 4 SACK blocks");
                if (!u32(blocks[n].left, "the SACK block's left edge")) return false;
                if (!expect(':', "inside the SACK block")) return false;
                if (!u32(blocks[n].right, "the SACK block's right edge")) return false;
                ++n;
            }
            if (n == 0) return fail("expected SACK blocks (left:right) after 'sack'");
            return room(b.sack(blocks.data(), n));
        }
        if (w == "md5" || w == "FO" || w == "FOEXP" || w == "mptcp" || w == "exp") {
            unsupported(out, at, "TCP option '" + std::string(w) + "'");
            while (ok_ && !is_punct(',') && !is_punct('>') && cur_.kind != tok::end) shift();
            return ok_;
        }
        return fail_at(at, "unknown TCP option '" + std::string(w) + "'");
    }

    // packetdrill's expression language, read generously: integers, words, strings, `...`,
    // lists `[a, b]`, structures `{a=b, ...}`, calls `htons(8080)`, `A|B`, `name=value`.
    bool expression(expr& x, int depth = 0) {
        if (depth > 32) return fail("expression nested too deeply");
        if (!primary(x, depth)) return false;
        while (ok_ && is_punct('|')) {
            shift();
            expr rhs;
            if (!primary(rhs, depth)) return false;
            if (x.what == expr::kind::word && rhs.what == expr::kind::word) {
                x.text += "|" + rhs.text;
            } else {
                x = expr{};
            }
        }
        return ok_;
    }

    bool primary(expr& x, int depth) {
        x = expr{};
        switch (cur_.kind) {
            case tok::ellipsis:
                x.what = expr::kind::ellipsis;
                shift();
                return ok_;
            case tok::integer:
            case tok::hex:
                x.what = expr::kind::integer;
                x.value = cur_.integer;
                shift();
                return ok_;
            case tok::floating:
            case tok::ipv4:
                shift();
                return ok_;
            case tok::string:
                x.what = expr::kind::string;
                while (ok_ && cur_.kind == tok::string) {
                    x.text += std::string(cur_.text.substr(1, cur_.text.size() - 2));
                    shift();
                }
                if (ok_ && cur_.kind == tok::ellipsis) shift();
                return ok_;
            case tok::word: {
                x.what = expr::kind::word;
                x.text = std::string(cur_.text);
                shift();
                if (is_punct('(')) {  // htons(8080), inet_addr("1.2.3.4")
                    shift();
                    x = expr{};
                    if (!is_punct(')')) {
                        for (;;) {
                            expr a;
                            if (!expression(a, depth + 1)) return false;
                            if (!is_punct(',')) break;
                            shift();
                        }
                    }
                    return expect(')', "to close the call");
                }
                if (is_punct('=')) {  // name=value inside a structure
                    shift();
                    expr rhs;
                    if (!expression(rhs, depth + 1)) return false;
                    x = expr{};
                }
                return ok_;
            }
            case tok::punct:
                if (cur_.punct == '[' || cur_.punct == '{') {
                    const char close = cur_.punct == '[' ? ']' : '}';
                    x.what = cur_.punct == '[' ? expr::kind::list : expr::kind::other;
                    shift();
                    if (!is_punct(close)) {
                        for (;;) {
                            expr a;
                            if (!expression(a, depth + 1)) return false;
                            if (x.what == expr::kind::list) x.items.push_back(std::move(a));
                            if (!is_punct(',')) break;
                            shift();
                        }
                    }
                    return expect(close, close == ']' ? "to close the list" : "to close the structure");
                }
                if (cur_.punct == '-' ) return fail("expected an expression, found '-'");
                return fail("expected an expression, found " + describe());
            default: return fail("expected an expression, found " + describe());
        }
    }

    lexer lex_;
    token cur_;
    bool ok_ = true;
    bool seen_event_ = false;
    diagnostic error_;
};

}  // namespace

parse_result parse_script(std::string_view text, const std::vector<std::string>& defines) {
    preprocessed pre = preprocess(text, defines);
    if (pre.error) {
        parse_result r;
        r.error = pre.error;
        return r;
    }
    parser p(pre.text);
    return p.run();
}

std::string format_diagnostic(std::string_view file, std::string_view text, const diagnostic& d) {
    std::ostringstream out;
    out << file << ":" << d.at.line << ":" << d.at.col << ": error: " << d.message << "\n";
    // the source line, and a caret under the column
    std::size_t at = 0;
    for (int l = 1; l < d.at.line && at != std::string_view::npos; ++l) {
        at = text.find('\n', at);
        if (at != std::string_view::npos) ++at;
    }
    if (at == std::string_view::npos || at > text.size()) return out.str();
    const std::size_t nl = text.find('\n', at);
    std::string line(text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at));
    std::string caret;
    for (std::size_t i = 0; i + 1 < static_cast<std::size_t>(d.at.col) && i < line.size(); ++i)
        caret += line[i] == '\t' ? '\t' : ' ';
    out << line << "\n" << caret << "^\n";
    return out.str();
}

}  // namespace tcprt::script
