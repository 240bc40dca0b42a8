// Any byte sequence as a spec: the front end must answer with diagnostics, never crash, hang or trip
// a sanitizer. A model that passes the checker is fed to every backend in process (svg and html
// excepted: they run Graphviz, a process per input), which must not throw: whatever a backend would refuse, the checker must have
// reported. The C++ the C++ backends write is linted for what spec text could smuggle into it
// (tests/cpp_lint.hpp: lines spliced by a backslash, trigraphs, bidi controls, invalid identifiers).
#include "check/check.hpp"
#include "cpp_lint.hpp"
#include "emit/emit.hpp"
#include "parse/parse.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string_view>

namespace {

// The targets whose outputs are C++ headers (their API: docs/generated-api.md).
bool writes_cpp(std::string_view target) { return target == "msm" || target == "cpp" || target == "backmp11" || target == "rapidcheck"; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fsmgen::SourceFile file("fuzz.fsm", std::string(reinterpret_cast<const char*>(data), size));
    fsmgen::Diagnostics diags;
    auto ast = fsmgen::parse(file, diags);
    auto model = fsmgen::check(ast, file, diags);
    std::ostringstream printed;
    fsmgen::print(printed, file, diags);
    if (!model || diags.error_count() != 0) return 0;
    for (const auto& backend : fsmgen::backends()) {
        if (backend->name() == "svg" || backend->name() == "html") continue;
        fsmgen::MemorySink sink;
        backend->emit(*model, fsmgen::EmitOptions{"fuzz_fsm.hpp"}, sink);
        if (!writes_cpp(backend->name())) continue;
        for (const auto& [name, text] : sink.files) {
            const auto problems = fsmgen::testing::lint_cpp(text);
            if (problems.empty()) continue;
            std::fprintf(stderr, "fuzz_spec: target %.*s, file '%s': %s\n", static_cast<int>(backend->name().size()),
                         backend->name().data(), name.c_str(), problems.front().c_str());
            std::abort();
        }
    }
    return 0;
}
