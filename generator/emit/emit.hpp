// The backend interface: every target sees only the Model and writes through an OutputSink, never
// the disk, so tests can generate in memory.
#pragma once

#include "model/model.hpp"

#include <map>
#include <memory>
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

struct EmitOptions {
    std::string output_name;  // the file name the main output will have (for include guards, titles)
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
};

// Every backend, in the order --help lists them. Each backend file defines one factory below.
const std::vector<std::unique_ptr<Backend>>& backends();
const Backend* find_backend(std::string_view name);

std::unique_ptr<Backend> make_json_backend();
std::unique_ptr<Backend> make_msm_backend();
std::unique_ptr<Backend> make_dot_backend();
std::unique_ptr<Backend> make_mermaid_backend();
std::unique_ptr<Backend> make_plantuml_backend();
std::unique_ptr<Backend> make_table_backend();
std::unique_ptr<Backend> make_svg_backend();
std::unique_ptr<Backend> make_promela_backend();

}  // namespace fsmgen
