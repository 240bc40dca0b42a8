// fsmgen: check a spec, or emit one of the targets from it.
//
// Exit status: 0 clean (warnings allowed), 1 errors in the spec, 2 usage or I/O errors.
#include "check/check.hpp"
#include "check/spelling.hpp"
#include "cli/files.hpp"
#include "emit/emit.hpp"
#include "emit/promela_trail.hpp"
#include "parse/parse.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
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
    for (std::size_t c = 0; c < m.categories.size(); ++c) {
        std::size_t n = 0;
        for (const auto& e : m.events) n += e.category == c;
        out << ", " << n << ' ' << m.categories[c].name;
    }
    std::size_t internal = 0;
    for (const auto& t : m.transitions) internal += t.internal();
    out << "\n  transitions " << m.transitions.size() << " rows (" << internal << " internal) from " << m.rules.size()
        << " rules\n  guards      " << m.guards.size() << "\n  actions     " << m.actions.size() << '\n';
    // Verification statements (docs/spec-language.md#verification), when there are any.
    if (!m.safety.empty() || !m.liveness.empty())
        out << "  properties  " << m.safety.size() << " safety, " << m.liveness.size() << " liveness\n";
    if (!m.instances.empty()) {
        out << "  instances   " << m.instances.size() << ":";
        for (const auto& i : m.instances) out << ' ' << i;
        out << "; " << m.channels.size() << " channel(s), " << m.messages.size() << " message(s)\n";
    }
}

// The diagram flags of `fsmgen emit`, as given; `given` lists those used, for the error a
// non-diagram target gives.
struct DiagramFlags {
    fsmgen::DiagramOptions options;
    std::string direction = "TB", only;
    std::vector<std::string> given;

    fsmgen::DiagramOptions resolve(const fsmgen::Backend& backend, const std::string& target) {
        if (!given.empty() && !backend.draws())
            throw UsageError("option " + given.front() + " is for the diagram targets, not '" + target + "'");
        options.left_to_right = direction == "LR";
        if (!only.empty()) options.only = only;
        return options;
    }
};

int run_emit(const fsmgen::model::Model& m, const std::string& target, const std::string& output,
             const fsmgen::cli::Input& spec, const std::string& spec_name, DiagramFlags& flags, const std::string& msm_backend) {
    const fsmgen::Backend* backend = fsmgen::find_backend(target);
    if (!backend) throw UsageError("unknown target '" + target + "' (see fsmgen emit --help)");
    if (!flags.only.empty() && !m.find_category(flags.only)) {
        std::string known;
        for (const auto& c : m.categories) known += (known.empty() ? "" : ", ") + c.name;
        throw UsageError("--only " + flags.only + ": the spec has no event category of that name (it has " + known + ")");
    }
    fsmgen::EmitOptions options;
    options.diagram = flags.resolve(*backend, target);
    options.output_name = output == "-" ? "" : fs::path(output).filename().string();
    if (!msm_backend.empty() && target != "msm") throw UsageError("option --msm-backend is for the msm target, not '" + target + "'");
    if (!msm_backend.empty()) options.msm_backend = msm_backend;
    fsmgen::MemorySink sink;
    backend->emit(m, options, sink);
    // Checked before anything is written: half of a header pair on stdout would look like success.
    if (output == "-") {
        std::string companions;
        for (const auto& [name, content] : sink.files)
            if (!name.empty()) companions += (companions.empty() ? "" : ", ") + name;
        if (!companions.empty())
            throw UsageError("target '" + target + "' writes several files (the main output and its companions " +
                             companions + "); give -o a path");
    }
    if (output == "-") {
        fsmgen::cli::write_stdout(sink.files[""]);
        return exit_clean;
    }
    if (sink.files.size() > 1 && fsmgen::cli::writes_through(output))
        throw UsageError("target '" + target + "' writes several files, which need a directory; " + output +
                         " is not a regular file; give -o a path");
    // The main output first: write_outputs() renames it into place last.
    std::vector<fsmgen::cli::Output> outputs{{output, sink.files[""]}};
    for (const auto& [name, content] : sink.files)
        if (!name.empty()) outputs.push_back({(fs::path(output).parent_path() / name).string(), content});
    fsmgen::cli::write_outputs(outputs, spec.id, spec_name);
    return exit_clean;
}

int run_trail(const fsmgen::model::Model& m, const std::string& path, bool json) {
    std::ifstream file;
    if (path != "-") {
        file.open(path, std::ios::binary);
        if (!file) throw UsageError(path + ": cannot open: " + std::strerror(errno));
    }
    auto t = fsmgen::promela::read_trail(m, path == "-" ? std::cin : file);
    std::cout << (json ? fsmgen::promela::trail_json(m, t) : t.text);
    if (t.machine_steps == 0) std::cerr << "fsmgen: warning: no step of the model in the input (is it the output of `spin -t`?)\n";
    if (t.unreadable > 0) std::cerr << "fsmgen: warning: " << t.unreadable << " trace line(s) not understood, skipped\n";
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
    DiagramFlags diagram;
    auto note = [&diagram](const char* name) { return [&diagram, name](auto&&...) { diagram.given.push_back(name); }; };
    emit->add_option("--direction", diagram.direction, "diagrams: TB (top to bottom, default) or LR (left to right)")
        ->check(CLI::IsMember({"TB", "LR"}))
        ->each(note("--direction"));
    emit->add_flag("--hide-internal", diagram.options.hide_internal, "diagrams: leave out internal transitions")
        ->each(note("--hide-internal"));
    emit->add_flag("--hide-actions", diagram.options.hide_actions, "diagrams: leave out actions (labels, entry, exit)")
        ->each(note("--hide-actions"));
    emit->add_flag("--hide-legend", diagram.options.hide_legend, "diagrams: no legend")->each(note("--hide-legend"));
    emit->add_option("--only", diagram.only, "diagrams: draw the rows of one event category of the spec only")
        ->each(note("--only"));
    emit->add_flag("--hide-shared", diagram.options.hide_shared, "diagrams: leave out the rows of set and wildcard rules")
        ->each(note("--hide-shared"));
    emit->add_flag("--hide-guards", diagram.options.hide_guards, "diagrams: leave out guards")->each(note("--hide-guards"));
    emit->add_flag("--hide-docs", diagram.options.hide_docs, "diagrams: leave out the states' doc strings")
        ->each(note("--hide-docs"));
    emit->add_flag("--compact", diagram.options.compact, "diagrams: rows that differ only in their source share one label")
        ->each(note("--compact"));
    std::string msm_backend;
    emit->add_option("--msm-backend", msm_backend, "msm target: Boost.MSM's back end, back (default) or backmp11 (Boost 1.90+)")
        ->check(CLI::IsMember({"back", "backmp11"}));

    // `spin -t MODEL.pml | fsmgen trail SPEC`: a SPIN counterexample told in spec terms.
    std::string spin_output = "-";
    auto* trail = app.add_subcommand("trail", "read what `spin -t` prints for a trail of the promela target, in spec terms");
    trail->add_option("SPEC", spec_path, "the .fsm file the model was emitted from")->required();
    trail->add_option("SPIN_OUTPUT", spin_output, "the output of `spin -t MODEL.pml`, or - for standard input (default)");
    bool trail_as_json = false;
    trail->add_flag("--json", trail_as_json, "the steps as JSON (for `tcpfsm simulate --trail`, which replays them on the real endpoints)");

    // A first word that is neither an option nor a command is a mistyped command: say which, rather
    // than CLI11's "A subcommand is required".
    if (argc > 1 && argv[1][0] != '-') {
        std::vector<std::string> commands;
        for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) commands.push_back(sub->get_name());
        if (std::find(commands.begin(), commands.end(), argv[1]) == commands.end()) {
            std::string list;
            for (const auto& c : commands) list += (list.empty() ? "" : ", ") + c;
            std::cerr << "fsmgen: error: unknown command '" << argv[1] << "'" << fsmgen::did_you_mean(argv[1], commands)
                      << "\ncommands: " << list << " (fsmgen --help says more)\n";
            return exit_usage;
        }
    }

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

    fsmgen::cli::install_signal_cleanup();
    try {
        std::string spec_name = spec_path == "-" ? "standard input" : spec_path;
        auto spec = fsmgen::cli::read_input(spec_path, spec_name, max_spec_bytes);
        fsmgen::SourceFile file(spec_path == "-" ? "<stdin>" : spec_path, std::move(spec.text));
        auto model = load(file, werror);
        if (!model) return exit_spec_errors;
        if (check->parsed()) {
            std::ostringstream summary;
            print_summary(summary, *model);
            fsmgen::cli::write_stdout(summary.str());
            return exit_clean;
        }
        if (trail->parsed()) return run_trail(*model, spin_output, trail_as_json);
        return run_emit(*model, target, output, spec, spec_name, diagram, msm_backend);
    } catch (const fsmgen::cli::FileError& e) {
        std::cerr << "fsmgen: error: " << e.what() << '\n';
        return exit_usage;
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
