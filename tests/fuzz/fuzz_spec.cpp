// Any byte sequence as a spec: the front end must answer with diagnostics, never crash, hang or trip
// a sanitizer. A model that passes the checker is also fed to the json backend, whose output must
// stay valid for any names and strings the checker accepts.
#include "check/check.hpp"
#include "emit/emit.hpp"
#include "parse/parse.hpp"

#include <cstddef>
#include <cstdint>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fsmgen::SourceFile file("fuzz.fsm", std::string(reinterpret_cast<const char*>(data), size));
    fsmgen::Diagnostics diags;
    auto ast = fsmgen::parse(file, diags);
    auto model = fsmgen::check(ast, file, diags);
    std::ostringstream printed;
    fsmgen::print(printed, file, diags);
    if (model && diags.error_count() == 0) {
        fsmgen::MemorySink sink;
        fsmgen::find_backend("json")->emit(*model, {}, sink);
    }
    return 0;
}
