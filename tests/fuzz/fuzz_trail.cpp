// Any bytes as what `spin -t` printed, read back by `fsmgen trail` (emit/promela_trail.hpp) against a
// small composition with every verification statement: the reader must count what it cannot read,
// never crash, hang or trip a sanitizer. The first byte picks the model: the composition, or the
// machine alone (one instance, no channels), whose instance and channel numbers are bounded
// differently. Seeds: tests/fuzz/trail_corpus (a real `spin -t` replay of this composition).
#include "check/check.hpp"
#include "emit/promela_trail.hpp"
#include "parse/parse.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

namespace {

const char* const spec_text =
    "machine door\n"
    "events { user: open, close\n segment: knock }\n"
    "initial state Closed\n"
    "state Opened { entry greet }\n"
    "Closed + open / ring -> Opened\n"
    "Closed + knock -> Opened\n"
    "Opened + close -> Closed\n"
    "instance front, back\n"
    "channel front -> back capacity 2 lossy reordering duplicating\n"
    "channel back -> front capacity 1\n"
    "message ring -> knock\n"
    "assert never Opened after close without ring\n"
    "assert from Opened eventually Closed\n";

fsmgen::model::Model model_of(bool composed) {
    fsmgen::SourceFile file("door.fsm", spec_text);
    fsmgen::Diagnostics diags;
    auto ast = fsmgen::parse(file, diags);
    auto model = fsmgen::check(ast, file, diags);
    if (!model || diags.error_count() != 0) std::abort();  // the seed model is valid
    if (!composed) {
        model->instances.clear();
        model->channels.clear();
        model->messages.clear();
    }
    return *model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fsmgen::model::Model composed = model_of(true), alone = model_of(false);
    const bool machine_alone = size > 0 && (data[0] & 1u) != 0;
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    const auto& model = machine_alone ? alone : composed;
    const auto trail = fsmgen::promela::read_trail(model, in);
    if (trail.steps.size() > size) std::abort();  // a step is at least one line of input
    // Every step's words come from the model or from a fixed list, so the JSON always serialises
    // (nlohmann::json throws on invalid UTF-8: none may reach it).
    (void)fsmgen::promela::trail_json(model, trail);
    return 0;
}
