// fsmgen: check a spec, or emit one of the targets from it.
//
// Exit status: 0 clean (warnings allowed), 1 errors in the spec, 2 usage or I/O errors.
#include "check/check.hpp"
#include "emit/emit.hpp"
#include "parse/parse.hpp"

#include <CLI/CLI.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#ifndef FSMGEN_VERSION
#define FSMGEN_VERSION "unknown"
#endif

namespace fs = std::filesystem;

namespace {

constexpr int exit_clean = 0;
constexpr int exit_spec_errors = 1;
constexpr int exit_usage = 2;

// Offsets in the AST are 32-bit; a spec this large is a mistake anyway.
constexpr std::uintmax_t max_spec_bytes = 64u << 20;

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

fsmgen::SourceFile read_spec(const std::string& path) {
    std::string text;
    if (path == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
        if (text.size() > max_spec_bytes) throw UsageError("standard input is larger than 64 MiB");
        return fsmgen::SourceFile("<stdin>", std::move(text));
    }
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw UsageError(path + ": is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError(path + ": cannot open: " + std::strerror(errno));
    auto size = fs::file_size(path, ec);
    if (!ec && size > max_spec_bytes) throw UsageError(path + ": larger than 64 MiB");
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) throw UsageError(path + ": read error");
    return fsmgen::SourceFile(path, std::move(text));
}

// Runs parse and check, prints the diagnostics, and says whether a model came out.
std::optional<fsmgen::model::Model> load(const fsmgen::SourceFile& file, bool werror) {
    fsmgen::Diagnostics diags;
    diags.set_warnings_as_errors(werror);
    auto ast = fsmgen::parse(file, diags);
    // Checked even after syntax errors: the statements that did parse get their diagnostics too.
    auto model = fsmgen::check(ast, file, diags);
    fsmgen::print(std::cerr, file, diags);
    if (diags.error_count() + diags.warning_count() > 0)
        std::cerr << diags.error_count() << " error(s), " << diags.warning_count() << " warning(s)\n";
    if (diags.error_count() > 0) return std::nullopt;
    return model;
}

void print_summary(std::ostream& out, const fsmgen::model::Model& m) {
    using fsmgen::model::Category;
    out << "machine " << m.name;
    if (!m.doc.empty()) out << " \"" << m.doc << '"';
    out << "\n  namespace   " << m.qualified_namespace() << "\n  states      " << m.states.size() << ":";
    // One screen even for a generated spec of thousands of states.
    constexpr std::size_t max_listed = 24;
    for (std::size_t i = 0; i < m.states.size() && i < max_listed; ++i) {
        out << ' ' << m.states[i].name;
        if (m.states[i].initial) out << " (initial)";
        if (m.states[i].final) out << " (final)";
    }
    if (m.states.size() > max_listed) out << " ... and " << m.states.size() - max_listed << " more";
    out << "\n  events      " << m.events.size();
    for (Category c : fsmgen::model::all_categories) {
        std::size_t n = 0;
        for (const auto& e : m.events) n += e.category == c;
        if (n) out << ", " << n << ' ' << fsmgen::model::to_string(c);
    }
    std::size_t internal = 0;
    for (const auto& t : m.transitions) internal += t.internal();
    out << "\n  transitions " << m.transitions.size() << " rows (" << internal << " internal) from " << m.rules.size()
        << " rules\n  guards      " << m.guards.size() << "\n  actions     " << m.actions.size() << '\n';
}

// Leaves an identical file untouched: a build that regenerates outputs (fsmgen_generate) then does
// not recompile what includes them when a new fsmgen produces the same text.
void write_file(const fs::path& path, std::string_view content) {
    {
        std::ifstream existing(path, std::ios::binary);
        if (existing) {
            std::string old((std::istreambuf_iterator<char>(existing)), std::istreambuf_iterator<char>());
            if (old == content) return;
        }
    }
    if (path.has_parent_path()) {
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) throw UsageError(path.string() + ": cannot write");
}

int run_emit(const fsmgen::model::Model& m, const std::string& target, const std::string& output) {
    const fsmgen::Backend* backend = fsmgen::find_backend(target);
    if (!backend) throw UsageError("unknown target '" + target + "' (see fsmgen emit --help)");
    fsmgen::EmitOptions options;
    options.output_name = output == "-" ? "" : fs::path(output).filename().string();
    fsmgen::MemorySink sink;
    backend->emit(m, options, sink);
    // Checked before anything is written: half of a header pair on stdout would look like success.
    if (output == "-") {
        std::string companions;
        for (const auto& [name, content] : sink.files)
            if (!name.empty()) companions += (companions.empty() ? "" : ", ") + name;
        if (!companions.empty())
            throw UsageError("target '" + target + "' writes several files (the main output and " + companions +
                             ", which it includes); give -o a path");
    }
    for (const auto& [name, content] : sink.files) {
        if (name.empty()) {
            if (output == "-") std::cout << content;
            else write_file(output, content);
        } else {
            write_file(fs::path(output).parent_path() / name, content);
        }
    }
    return exit_clean;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"fsmgen: state machine specs to Boost.MSM headers, diagrams and models"};
    app.set_version_flag("--version", std::string("fsmgen ") + FSMGEN_VERSION);
    app.require_subcommand(1);

    bool werror = false;
    std::string spec_path;

    auto* check = app.add_subcommand("check", "check a spec and print its summary");
    check->add_option("SPEC", spec_path, "the .fsm file, or - for standard input")->required();
    check->add_flag("--Werror", werror, "treat warnings as errors");

    std::string target, output = "-";
    auto* emit = app.add_subcommand("emit", "generate a target from a spec");
    std::string targets_help = "what to generate:";
    for (const auto& b : fsmgen::backends())
        targets_help += "\n  " + std::string(b->name()) + ": " + std::string(b->description());
    emit->add_option("-t,--target", target, targets_help)->required();
    emit->add_option("SPEC", spec_path, "the .fsm file, or - for standard input")->required();
    emit->add_option("-o,--output", output, "the output file, or - for standard output (default)");
    emit->add_flag("--Werror", werror, "treat warnings as errors");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_usage;
    }

    try {
        auto file = read_spec(spec_path);
        auto model = load(file, werror);
        if (!model) return exit_spec_errors;
        if (check->parsed()) {
            print_summary(std::cout, *model);
            return exit_clean;
        }
        return run_emit(*model, target, output);
    } catch (const UsageError& e) {
        std::cerr << "fsmgen: error: " << e.what() << '\n';
        return exit_usage;
    } catch (const fsmgen::EmitError& e) {
        std::cerr << "fsmgen: error: " << e.what() << '\n';
        return exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "fsmgen: error: " << e.what() << '\n';
        return exit_usage;
    }
}
