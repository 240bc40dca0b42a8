// The random-spec differential test's two ends (tests/random_spec/CMakeLists.txt runs them):
//
//   random_spec_tool generate --seed S --count N --target T [--msm-backend B] --out DIR [--extra SPEC]...
//     N random specs (spec_generator.hpp) plus the extra ones, each checked (a rejection is a
//     failure: the generator promises valid specs), emitted in process by every target (a throw or an
//     empty output is a failure), written by backend T into DIR, and
//     DIR/batch.cpp: one translation unit that includes every header and walks every machine
//     (driver.hpp), and for target msm DIR/harness.cpp: the property harness (-t rapidcheck) of the
//     first --harnesses specs, each run by RapidCheck against the spec's rows.
//   random_spec_tool compare --out DIR TRACE
//     replays the trace the compiled batch printed on the Model interpreter (model_interpreter.hpp)
//     and reports the first step where the machine and the Model disagree.
#include "emit/emit.hpp"
#include "model_interpreter.hpp"
#include "random_spec/driver.hpp"
#include "random_spec/spec_generator.hpp"
#include "run_spec.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = fsmgen;

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Failure("cannot read " + path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) throw Failure("cannot write " + path);
}

std::string spec_path(const std::string& dir, std::size_t i) { return dir + "/spec_" + std::to_string(i) + ".fsm"; }

fs::model::Model checked(const std::string& text, const std::string& path) {
    auto run = fs::testing::run_spec(text, false, path);
    if (!run.model) throw Failure("fsmgen check rejects " + path + ", which the generator promised valid:\n" + run.diagnostics);
    return *run.model;
}

// A spec that check accepts is one that every target emits (svg and html aside: they run Graphviz,
// a process per spec; their input is the dot text checked here). A `large` spec (the cpp batch's
// one of more than 256 rows) may be refused by the Mermaid targets, as documented for a flowchart
// of more than 500 links (docs/diagrams.md, "Mermaid's limits"), and only so.
void every_target_emits(const fs::model::Model& model, const std::string& path, bool large) {
    for (const auto& backend : fs::backends()) {
        if (backend->name() == "svg" || backend->name() == "html") continue;
        fs::MemorySink sink;
        try {
            backend->emit(model, fs::EmitOptions{"every_target.hpp"}, sink);
        } catch (const std::exception& e) {
            if (large && backend->name().substr(0, 7) == "mermaid" && std::string(e.what()).find("too large for Mermaid") != std::string::npos)
                continue;
            throw Failure("target " + std::string(backend->name()) + " fails on " + path + ", which check accepts: " + e.what());
        }
        if (sink.files.empty() || sink.files.begin()->second.empty())
            throw Failure("target " + std::string(backend->name()) + " writes nothing for " + path);
    }
}

int generate(std::uint64_t seed, std::size_t count, const std::string& target, const std::string& msm_backend, const std::string& dir,
             const std::vector<std::string>& extra, std::size_t walks, std::size_t steps, std::size_t harnesses) {
    const fs::Backend* backend = fs::find_backend(target);
    if (!backend) throw Failure("no target '" + target + "'");
    std::mt19937_64 rng(seed);
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < count; ++i) {
        fs::testing::RandomSpecOptions options;
        options.namespace_prefix = "rs" + std::to_string(i);
        texts.push_back(fs::testing::random_spec(rng, options));
    }
    // Above 256 rows the cpp target writes dispatch(event_id) another way (generator/emit/cpp.cpp,
    // inline_dispatch_rows): its batch has one spec more, drawn larger until it has more rows.
    if (target == "cpp") {
        fs::testing::RandomSpecOptions options;
        options.namespace_prefix = "rs" + std::to_string(count);
        options.max_states = 48;
        options.max_events = 24;
        for (int attempt = 0;; ++attempt) {
            if (attempt == 1000) throw Failure("no spec of more than 256 rows in 1000 draws");
            std::string text = fs::testing::random_spec(rng, options);
            if (checked(text, "large spec").transitions.size() > 256) {
                texts.push_back(std::move(text));
                break;
            }
        }
    }
    for (const auto& path : extra) texts.push_back(read_file(path));

    std::string includes, walks_code, harness_includes, harness_checks;
    if (target != "msm" || !msm_backend.empty()) harnesses = 0;  // random_spec.msm.harness builds the default msm header's
    std::size_t states = 0, rows = 0;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::string path = spec_path(dir, i);
        write_file(path, texts[i]);
        const auto model = checked(texts[i], path);
        states += model.states.size();
        rows += model.transitions.size();
        const std::string header = "spec_" + std::to_string(i) + "_fsm.hpp";
        every_target_emits(model, path, target == "cpp" && i == count);
        fs::MemorySink sink;
        fs::EmitOptions options{header};
        if (!msm_backend.empty()) options.msm_backend = msm_backend;
        backend->emit(model, options, sink);
        for (const auto& [name, content] : sink.files) write_file(dir + "/" + (name.empty() ? header : name), content);
        if (target == "cpp" && i == count && sink.files[""].find("return step(event::") == std::string::npos)
            throw Failure(path + " has more than 256 rows, and its cpp header still dispatches in the inlined switch");
        const std::string scripted = "spec_" + std::to_string(i) + "_fsm_scripted.hpp";
        includes += "#include \"" + header + "\"\n#include \"" + scripted + "\"\n";
        const std::string ns = "::" + model.qualified_namespace();
        if (i < harnesses) {
            const std::string harness = "spec_" + std::to_string(i) + "_fsm_rc.hpp";
            fs::MemorySink rc;
            fs::find_backend("rapidcheck")->emit(model, fs::EmitOptions{harness}, rc);
            write_file(dir + "/" + harness, rc.files.at(""));
            harness_includes += "#include \"" + header + "\"\n#include \"" + scripted + "\"\n#include \"" + harness + "\"\n";
            harness_checks += "    ok = ::rc::check(\"spec_" + std::to_string(i) + ".fsm\", [] { " + ns + "::property::check_against_spec(); }) && ok;\n";
        }
        walks_code += "    rs_driver::walk<" + ns + "::scripted_context, " + ns + "::machine, " + ns + "::event_id>(out, " + std::to_string(i) +
                      ", " + ns + "::transitions, " + ns + "::event_count, seed + " + std::to_string(i) + ", " + std::to_string(walks) + ", " +
                      std::to_string(steps) + ");\n";
    }
    write_file(dir + "/batch.cpp", "// Written by random_spec_tool generate --seed " + std::to_string(seed) +
                                       ": every machine of the batch, walked (tests/random_spec/driver.hpp).\n" + includes +
                                       "\n#include \"random_spec/driver.hpp\"\n\n#include <cstdlib>\n\n"
                                       "int main(int argc, char** argv) {\n"
                                       "    if (argc != 3) return 2;\n"
                                       "    const unsigned long long seed = std::strtoull(argv[1], nullptr, 10);\n"
                                       "    std::FILE* out = std::fopen(argv[2], \"w\");\n"
                                       "    if (!out) return 2;\n" +
                                       walks_code + "    return std::fclose(out) == 0 ? 0 : 2;\n}\n");
    if (harnesses > 0)
        write_file(dir + "/harness.cpp", "// Written by random_spec_tool generate --seed " + std::to_string(seed) +
                                             ": the property harness of the first specs, each against its spec's rows.\n" +
                                             harness_includes + "\nint main() {\n    bool ok = true;\n" + harness_checks +
                                             "    return ok ? 0 : 1;\n}\n");
    std::cout << "random_spec: " << texts.size() << " specs (" << count << " random, seed " << seed << "), " << states << " states, " << rows
              << " rows, target " << target << ", in " << dir << "\n";
    return 0;
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// As driver.hpp's print_report writes the reports of one step.
std::string report_of(const std::vector<std::pair<std::size_t, std::size_t>>& reports) {
    if (reports.empty()) return "-";
    if (reports.size() > 1) return std::to_string(reports.size()) + "-reports";
    return std::to_string(reports[0].first) + ":" + std::to_string(reports[0].second);
}

int compare(const std::string& dir, const std::string& trace_path) {
    std::map<std::size_t, fs::model::Model> models;
    auto model = [&](std::size_t i) -> const fs::model::Model& {
        auto it = models.find(i);
        if (it == models.end()) {
            const std::string path = spec_path(dir, i);
            it = models.emplace(i, checked(read_file(path), path)).first;
        }
        return it->second;
    };
    std::ifstream in(trace_path);
    if (!in) throw Failure("no trace " + trace_path + " (did the batch run?)");
    std::map<std::size_t, fs::testing::Interpreted> runs;
    std::size_t line_no = 0, steps = 0, walks = 0;
    std::map<std::size_t, std::size_t> fired, unhandled, rejected;
    std::map<std::size_t, std::set<std::size_t>> rows_fired, states_reached;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        const auto w = split(line);
        auto fail = [&](const std::string& what, const std::string& machine, const std::string& interpreted) {
            throw Failure(trace_path + ":" + std::to_string(line_no) + ": " + spec_path(dir, std::stoul(w.at(1))) + ": " + what +
                          ": the machine says '" + machine + "', the Model says '" + interpreted + "'\n  line: " + line);
        };
        auto joined = [](const std::vector<std::string>& v, std::size_t from) {
            std::string s;
            for (std::size_t i = from; i < v.size(); ++i) s += (i > from ? " " : "") + v[i];
            return s;
        };
        if (w.size() >= 4 && w[0] == "W") {
            const auto& m = model(std::stoul(w[1]));
            const fs::testing::Raise raise = [&m](std::string_view action) -> std::optional<std::size_t> {
                std::size_t e = 0;
                if (rs_driver::raises(action, m.events.size(), e)) return e;
                return std::nullopt;
            };
            // The walk's guards answer 0 until its first step.
            auto& run = runs[std::stoul(w[1])] = fs::testing::start_to_completion(m, [](std::size_t) { return false; }, raise, rs_driver::raise_budget);
            states_reached[std::stoul(w[1])].insert(run.state);
            ++walks;
            if (w[3] != std::to_string(run.state)) fail("initial state", w[3], std::to_string(run.state));
            std::vector<std::string> log(run.log);
            if (joined(w, 4) != joined(log, 0)) fail("entry actions of the initial state", joined(w, 4), joined(log, 0));
        } else if (w.size() >= 8 && w[0] == "S") {
            const std::size_t spec = std::stoul(w[1]), event = std::stoul(w[2]);
            const std::uint64_t answers = std::stoull(w[3]);
            const auto& m = model(spec);
            auto& run = runs.at(spec);
            run.log.clear();
            const fs::testing::Raise raise = [&m](std::string_view action) -> std::optional<std::size_t> {
                std::size_t e = 0;
                if (rs_driver::raises(action, m.events.size(), e)) return e;
                return std::nullopt;
            };
            fs::testing::Reports reports;
            const auto outcome = fs::testing::interpret_to_completion(
                m, run, event, [&](std::size_t g) { return ((answers >> rs_driver::guard_bit(m.guards[g])) & 1u) != 0; }, raise,
                rs_driver::raise_budget, reports);
            ++steps;
            const int handled = outcome == fs::testing::Outcome::fired ? 1 : outcome == fs::testing::Outcome::rejected ? 2 : 0;
            (outcome == fs::testing::Outcome::fired ? fired : outcome == fs::testing::Outcome::rejected ? rejected : unhandled)[spec]++;
            if (outcome == fs::testing::Outcome::fired) rows_fired[spec].insert(run.last_row);
            states_reached[spec].insert(run.state);
            if (w[4] != std::to_string(handled)) fail("HandledEnum (0 unhandled, 1 fired, 2 rejected)", w[4], std::to_string(handled));
            if (w[5] != std::to_string(run.state)) fail("state after the event", w[5], std::to_string(run.state));
            if (w[6] != report_of(reports.unhandled)) fail("on_unhandled reports", w[6], report_of(reports.unhandled));
            if (w[7] != report_of(reports.rejected)) fail("on_rejected reports", w[7], report_of(reports.rejected));
            if (joined(w, 8) != joined(run.log, 0)) fail("actions run (exit, row, entry)", joined(w, 8), joined(run.log, 0));
        } else {
            throw Failure(trace_path + ":" + std::to_string(line_no) + ": not a trace line: " + line);
        }
    }
    if (steps == 0) throw Failure("the trace " + trace_path + " has no steps");
    std::size_t total_fired = 0, total_unhandled = 0, total_rejected = 0;
    for (const auto& [spec, n] : fired) total_fired += n;
    for (const auto& [spec, n] : unhandled) total_unhandled += n;
    for (const auto& [spec, n] : rejected) total_rejected += n;
    std::size_t rows = 0, states = 0, covered_rows = 0, covered_states = 0;
    for (const auto& [spec, m] : models) {
        rows += m.transitions.size();
        states += m.states.size();
        covered_rows += rows_fired[spec].size();
        covered_states += states_reached[spec].size();
    }
    std::cout << "random_spec: " << models.size() << " machines agree with the Model on " << walks << " walks, " << steps << " events ("
              << total_fired << " fired, " << total_unhandled << " unhandled, " << total_rejected << " rejected); reached "
              << covered_states << " of " << states << " states, fired " << covered_rows << " of " << rows << " rows\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::vector<std::string> args(argv + 1, argv + argc);
        if (args.empty()) throw Failure("usage: random_spec_tool generate|compare ...");
        std::map<std::string, std::string> opt;
        std::vector<std::string> extra, positional;
        for (std::size_t i = 1; i < args.size(); ++i) {
            if (args[i] == "--extra" && i + 1 < args.size()) extra.push_back(args[++i]);
            else if (args[i].rfind("--", 0) == 0 && i + 1 < args.size()) opt[args[i]] = args[i + 1], ++i;
            else positional.push_back(args[i]);
        }
        auto need = [&](const std::string& k) {
            if (!opt.count(k)) throw Failure("missing " + k);
            return opt[k];
        };
        if (args[0] == "generate")
            return generate(std::stoull(need("--seed")), std::stoul(need("--count")), need("--target"), opt["--msm-backend"], need("--out"), extra,
                            opt.count("--walks") ? std::stoul(opt["--walks"]) : 4, opt.count("--steps") ? std::stoul(opt["--steps"]) : 400,
                            opt.count("--harnesses") ? std::stoul(opt["--harnesses"]) : 4);
        if (args[0] == "compare" && positional.size() == 1) return compare(need("--out"), positional[0]);
        throw Failure("usage: random_spec_tool generate|compare ...");
    } catch (const std::exception& e) {
        std::cerr << "random_spec: FAILED: " << e.what() << "\n";
        return 1;
    }
}
