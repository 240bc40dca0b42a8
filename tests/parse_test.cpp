// The parser: one test per construct of docs/spec-language.md, checked on the AST (before the checker).
#include "run_spec.hpp"

#include <gtest/gtest.h>

namespace fsmgen {
namespace {

// Parses only: these fragments need not be complete machines.
ast::Spec parse_ok(const std::string& text) {
    SourceFile file("t.fsm", text);
    Diagnostics diags;
    auto spec = parse(file, diags);
    std::ostringstream printed;
    print(printed, file, diags);
    EXPECT_EQ(diags.error_count(), 0u) << printed.str();
    return spec;
}

TEST(Parse, MachineNameAndDocString) {
    auto spec = parse_ok("machine door \"a door with \\\"quotes\\\" and \\\\ and \\n\"\n");
    ASSERT_EQ(spec.machines.size(), 1u);
    EXPECT_EQ(spec.machines[0].name.text, "door");
    EXPECT_EQ(spec.machines[0].doc.value, "a door with \"quotes\" and \\ and \n");
    EXPECT_EQ(spec.machines[0].name.span.begin, 8u);
    EXPECT_EQ(spec.machines[0].name.span.end, 12u);
}

TEST(Parse, MachineWithoutDocString) {
    auto spec = parse_ok("machine door\n");
    ASSERT_EQ(spec.machines.size(), 1u);
    EXPECT_FALSE(spec.machines[0].doc.present());
}

TEST(Parse, EmptyDocStringIsPresent) {
    auto spec = parse_ok("machine door \"\"\n");
    EXPECT_TRUE(spec.machines[0].doc.present());
    EXPECT_EQ(spec.machines[0].doc.value, "");
}

TEST(Parse, QualifiedNamespace) {
    auto spec = parse_ok("namespace net::tcp::v1\n");
    ASSERT_EQ(spec.namespaces.size(), 1u);
    ASSERT_EQ(spec.namespaces[0].parts.size(), 3u);
    EXPECT_EQ(spec.namespaces[0].parts[0].text, "net");
    EXPECT_EQ(spec.namespaces[0].parts[2].text, "v1");
}

TEST(Parse, EventCategoriesWithDocStrings) {
    auto spec = parse_ok(
        "events {\n"
        "  user: open \"OPEN call\", close\n"
        "  segment: rcv_syn\n"
        "  timer: t1, t2 \"two\"\n"
        "}\n");
    ASSERT_EQ(spec.events.size(), 1u);
    const auto& groups = spec.events[0].groups;
    ASSERT_EQ(groups.size(), 3u);
    EXPECT_EQ(groups[0].category.text, "user");
    ASSERT_EQ(groups[0].events.size(), 2u);
    EXPECT_EQ(groups[0].events[0].doc.value, "OPEN call");
    EXPECT_FALSE(groups[0].events[1].doc.present());
    EXPECT_EQ(groups[1].events[0].name.text, "rcv_syn");
    EXPECT_EQ(groups[2].events[1].doc.value, "two");
}

TEST(Parse, EventsWithFieldsTypesAndCategoryDocs) {
    auto spec = parse_ok(
        "include <openssl/x509.h>\n"
        "include \"tls_types.hpp\"\n"
        "events {\n"
        "  message \"from the server\":\n"
        "    hello(version: std::uint16_t,\n"
        "          random: std::array< std :: uint8_t , 32 >) \"ServerHello\",\n"
        "    cert = ::tls::certificate \"the chain\",\n"
        "    empty()\n"
        "}\n");
    ASSERT_EQ(spec.includes.size(), 2u);
    EXPECT_TRUE(spec.includes[0].system);
    EXPECT_EQ(spec.includes[0].path, "openssl/x509.h");
    EXPECT_FALSE(spec.includes[1].system);
    EXPECT_EQ(spec.includes[1].path, "tls_types.hpp");
    const auto& group = spec.events.at(0).groups.at(0);
    EXPECT_EQ(group.category.text, "message");
    EXPECT_EQ(group.category_doc.value, "from the server");
    ASSERT_EQ(group.events.size(), 3u);
    const auto& hello = group.events[0];
    ASSERT_EQ(hello.fields.size(), 2u);
    EXPECT_EQ(hello.fields[0].name.text, "version");
    EXPECT_EQ(hello.fields[0].type.text, "std::uint16_t");
    EXPECT_EQ(hello.fields[1].type.text, "std::array<std::uint8_t, 32>");  // blanks dropped, one after each comma
    EXPECT_EQ(hello.doc.value, "ServerHello");
    EXPECT_EQ(group.events[1].alias.text, "::tls::certificate");
    EXPECT_TRUE(group.events[1].fields.empty());
    EXPECT_TRUE(group.events[2].fields.empty());
    EXPECT_FALSE(group.events[2].alias.present());
}

TEST(Parse, StatesWithMarkersDocsAndHooks) {
    auto spec = parse_ok(
        "initial state A \"first\"\n"
        "state B { entry start_timer, log exit stop_timer }\n"
        "final state C\n");
    ASSERT_EQ(spec.states.size(), 3u);
    EXPECT_EQ(spec.states[0].markers, std::vector<ast::StateMarker>{ast::StateMarker::initial});
    EXPECT_EQ(spec.states[0].doc.value, "first");
    ASSERT_EQ(spec.states[1].hooks.size(), 2u);
    EXPECT_TRUE(spec.states[1].hooks[0].is_entry);
    ASSERT_EQ(spec.states[1].hooks[0].actions.size(), 2u);
    EXPECT_EQ(spec.states[1].hooks[0].actions[1].text, "log");
    EXPECT_FALSE(spec.states[1].hooks[1].is_entry);
    EXPECT_EQ(spec.states[2].markers, std::vector<ast::StateMarker>{ast::StateMarker::final});
}

TEST(Parse, HooksAcrossLines) {
    auto spec = parse_ok("state B {\n  entry a\n  exit b\n}\n");
    ASSERT_EQ(spec.states.size(), 1u);
    EXPECT_EQ(spec.states[0].hooks.size(), 2u);
}

TEST(Parse, TransitionWithGuardActionsAndTarget) {
    auto spec = parse_ok("A + ev [ok && !busy] / first, second -> B\n");
    ASSERT_EQ(spec.transitions.size(), 1u);
    const auto& t = spec.transitions[0];
    EXPECT_EQ(t.source.kind, ast::SourceKind::single);
    EXPECT_EQ(t.source.states[0].text, "A");
    EXPECT_EQ(t.event.text, "ev");
    ASSERT_EQ(t.guard.size(), 2u);
    EXPECT_FALSE(t.guard[0].negated);
    EXPECT_EQ(t.guard[0].name.text, "ok");
    EXPECT_TRUE(t.guard[1].negated);
    EXPECT_EQ(t.guard[1].name.text, "busy");
    ASSERT_EQ(t.actions.size(), 2u);
    EXPECT_EQ(t.actions[1].text, "second");
    EXPECT_EQ(t.target.text, "B");
    EXPECT_EQ(t.span.begin, 0u);
}

TEST(Parse, InternalTransitionHasNoTarget) {
    auto spec = parse_ok("A + ev / count\nA + other\n");
    ASSERT_EQ(spec.transitions.size(), 2u);
    EXPECT_FALSE(spec.transitions[0].target.present());
    EXPECT_EQ(spec.transitions[0].actions.size(), 1u);
    EXPECT_FALSE(spec.transitions[1].target.present());
    EXPECT_TRUE(spec.transitions[1].actions.empty());
}

TEST(Parse, WildcardWithExceptions) {
    auto spec = parse_ok("* - {A, B} + abort -> A\n* + reset -> A\n");
    ASSERT_EQ(spec.transitions.size(), 2u);
    EXPECT_EQ(spec.transitions[0].source.kind, ast::SourceKind::wildcard);
    ASSERT_EQ(spec.transitions[0].source.states.size(), 2u);
    EXPECT_EQ(spec.transitions[0].source.states[1].text, "B");
    EXPECT_EQ(spec.transitions[1].source.kind, ast::SourceKind::wildcard);
    EXPECT_TRUE(spec.transitions[1].source.states.empty());
}

TEST(Parse, SetOfSources) {
    auto spec = parse_ok("{A, B, C} + ev / act\n");
    ASSERT_EQ(spec.transitions.size(), 1u);
    EXPECT_EQ(spec.transitions[0].source.kind, ast::SourceKind::set);
    EXPECT_EQ(spec.transitions[0].source.states.size(), 3u);
}

TEST(Parse, LineCommentsAnywhere) {
    auto spec = parse_ok("// leading\nmachine m // trailing\n// between\nA + e -> B // after\n// last, no newline");
    EXPECT_EQ(spec.machines.size(), 1u);
    EXPECT_EQ(spec.transitions.size(), 1u);
}

TEST(Parse, Utf8InStringsAndComments) {
    auto spec = parse_ok("// état fermé\nmachine m \"porte d'entrée ✓\"\n");
    EXPECT_EQ(spec.machines[0].doc.value, "porte d'entrée ✓");
}

TEST(Parse, CrlfLineEndings) {
    auto spec = parse_ok("machine m\r\ninitial state A\r\nA + e -> A\r\n");
    EXPECT_EQ(spec.transitions.size(), 1u);
}

TEST(Parse, SpansPointAtNames) {
    std::string text = "A + ev -> Target\n";
    auto spec = parse_ok(text);
    const auto& target = spec.transitions[0].target;
    EXPECT_EQ(text.substr(target.span.begin, target.span.end - target.span.begin), "Target");
}

}  // namespace
}  // namespace fsmgen
