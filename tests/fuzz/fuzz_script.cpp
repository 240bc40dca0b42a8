// Any bytes as a packetdrill script: the reader must answer with a script or one diagnostic (never
// crash, hang or trip a sanitizer), the diagnostic must print, and a script that parses must replay
// to a verdict against the endpoint under some profile.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tcprt/replay.hpp"
#include "tcprt/script.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const profiles[] = {"rfc9293", "rfc5961,rfc1337", "linux", "freebsd"};
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto parsed = tcprt::script::parse_script(text, {"LINUX"});
    if (parsed.script.has_value() == parsed.error.has_value()) std::abort();
    if (parsed.error) {
        if (parsed.error->message.empty() || parsed.error->at.line < 1) std::abort();
        (void)tcprt::script::format_diagnostic("fuzz.pkt", text, *parsed.error);
        return 0;
    }
    tcprt::replay::settings s;
    tcprt::apply_profiles(profiles[data[0] % 4], s.prof);
    s.ignore_options = (data[0] & 4) != 0;
    const auto o = tcprt::replay::run("fuzz.pkt", text, s);
    if (o.result != tcprt::replay::verdict::pass && o.message.empty()) std::abort();
    return 0;
}
