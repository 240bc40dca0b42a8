// The backend interface: every target sees only the Model and writes through an OutputSink, never
// the disk, so tests can generate in memory.
#pragma once

#include "model/model.hpp"

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fsmgen {

// Receives the text a backend produces. A backend writes its main output under the name "" (the
// CLI's -o) and any companion files under their own names.
class OutputSink {
public:
    virtual ~OutputSink() = default;
    virtual void write(std::string_view name, std::string_view content) = 0;
};

// For tests and for the CLI's "-o -": keeps everything in memory.
class MemorySink : public OutputSink {
public:
    void write(std::string_view name, std::string_view content) override {
        files[std::string(name)] += content;
    }
    std::map<std::string, std::string> files;
};

// How the diagram targets (dot, svg, mermaid, plantuml, html) draw; other targets ignore it. The
// defaults draw every row, top to bottom, with a legend.
struct DiagramOptions {
    bool left_to_right = false;                // rank direction: LR instead of TB
    bool hide_internal = false;                // no internal-transition compartments
    bool hide_actions = false;                 // no `/ actions` on labels, no entry / exit lines
    bool hide_legend = false;
    std::optional<std::string> only;           // draw the rows of this event category only
    bool compact = false;                      // rows that differ only in their source share one label
    // Not a flag: the html target asks for SVG element ids it can find (state_N, edge_N, edge_N_M
    // for the arrow of folded edge N and its junction's feeders), N indexing Model::states and
    // diagram::Folded::edges.
    bool element_ids = false;
    bool hide_shared = false;                  // leave out the rows of set and wildcard rules
    bool hide_guards = false;                  // no `[guard]` on labels
    bool hide_docs = false;                    // no doc strings in states
};

struct EmitOptions {
    std::string output_name;  // the file name the main output will have (for include guards, titles)
    DiagramOptions diagram{};
    std::string msm_backend = "back";  // msm target: Boost.MSM's back end, "back" or "backmp11" (--msm-backend)
};

// Raised by a backend that cannot do its job for a reason outside the spec (e.g. Graphviz missing).
class EmitError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string_view name() const = 0;         // the --target value
    virtual std::string_view description() const = 0;  // one line for --help
    virtual void emit(const model::Model& m, const EmitOptions& options, OutputSink& out) const = 0;
    virtual bool draws() const { return false; }  // takes EmitOptions::diagram
};

// Every backend, in the order --help lists them. Each backend file defines one factory below.
const std::vector<std::unique_ptr<Backend>>& backends();
const Backend* find_backend(std::string_view name);

std::unique_ptr<Backend> make_json_backend();
std::unique_ptr<Backend> make_msm_backend();
std::unique_ptr<Backend> make_cpp_backend();
std::unique_ptr<Backend> make_dot_backend();
std::unique_ptr<Backend> make_mermaid_backend();
std::unique_ptr<Backend> make_plantuml_backend();
std::unique_ptr<Backend> make_table_backend();
std::unique_ptr<Backend> make_svg_backend();
std::unique_ptr<Backend> make_html_backend();
std::unique_ptr<Backend> make_mermaid_state_backend();
std::unique_ptr<Backend> make_promela_backend();
std::unique_ptr<Backend> make_rapidcheck_backend();

}  // namespace fsmgen
