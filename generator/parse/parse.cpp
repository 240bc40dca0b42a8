#include "parse/parse.hpp"

#include <boost/fusion/include/adapt_struct.hpp>
#include <boost/fusion/include/std_pair.hpp>
#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>

#include <string>

BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::MachineDecl, name, doc)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::Field, name, type)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::EventDecl, name, fields, alias, doc)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::EventGroup, category, category_doc, events)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::IncludeDecl, system, path)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::StateHook, is_entry, actions)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::StateDecl, markers, name, doc, hooks)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::GuardLiteral, negated, name)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::Source, kind, states)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::Transition, source, event, guard, actions, target)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::AfterClause, event, action)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::SafetyDecl, states, after)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::LivenessDecl, from, to)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::ChannelDecl, from, to, capacity, options)
BOOST_FUSION_ADAPT_STRUCT(fsmgen::ast::MessageDecl, action, event)

namespace fsmgen {
namespace {

namespace x3 = boost::spirit::x3;
namespace ascii = boost::spirit::x3::ascii;  // ASCII classification: bytes >= 0x80 never match
using Iterator = std::string::const_iterator;

// The start of the buffer, passed through the parser context so that on_success can turn iterators
// into offsets.
struct buffer_begin_tag;

// Records the span of every node that has one. X3 skips leading white space before calling
// on_success, so the span starts at the node's first character.
struct annotate {
    template <class It, class Attr, class Context>
    void on_success(It const& first, It const& last, Attr& node, Context const& ctx) const {
        if constexpr (std::is_base_of_v<ast::Located, Attr>) {
            const Iterator& begin = x3::get<buffer_begin_tag>(ctx);
            node.span = {static_cast<std::uint32_t>(first - begin), static_cast<std::uint32_t>(last - begin)};
        }
    }
};

// ---- lexical ---------------------------------------------------------------------------------------

// Statements are line-based: inside a statement only blanks and a trailing comment are skipped, so a
// statement cannot silently continue on the next line. Blocks (`events { }`, a state's `{ }`) switch
// to the multi-line skipper.
const auto comment = x3::lexeme["//" >> *(x3::char_ - x3::eol)];
const auto inline_skipper = ascii::blank | x3::lit('\r') | comment;
const auto multiline_skipper = ascii::space | comment;

const auto word_char = ascii::alnum | x3::char_('_');
auto kw(const char* word) { return x3::lexeme[x3::lit(word) >> !word_char]; }

const auto keyword = kw("machine") | kw("namespace") | kw("events") | kw("state") | kw("initial") |
                     kw("final") | kw("entry") | kw("exit") | kw("include");
// The verification statements' words (assert, instance, channel, message) are not among them: they
// start a statement only at its beginning (verification_statement), and are names everywhere else,
// so that an event category or a state may still be called `message` or `instance`.

const auto identifier_chars = x3::raw[x3::lexeme[!keyword >> (ascii::alpha | x3::char_('_')) >> *word_char]];

template <class Context, class Range>
Span span_of(const Context& ctx, const Range& range) {
    const Iterator& begin = x3::get<buffer_begin_tag>(ctx);
    return {static_cast<std::uint32_t>(range.begin() - begin), static_cast<std::uint32_t>(range.end() - begin)};
}

// Rules whose right-hand side has a semantic action get no on_success call with their attribute, so
// these actions record the span themselves.
const auto set_name = [](auto& ctx) {
    auto range = x3::_attr(ctx);
    x3::_val(ctx).text.assign(range.begin(), range.end());
    x3::_val(ctx).span = span_of(ctx, range);
};

// One rule per role, so that an error says which kind of name was expected. Lists are written
// `name > *(',' > name)`, not `name % ','`: an expectation failure names the failing parser, and a
// list parser's name is a C++ type (`N5boost6spirit2x34listI...`), not "action name".
#define FSMGEN_NAME_RULE(var, what)                                    \
    struct var##_id : annotate {};                                     \
    const x3::rule<var##_id, ast::Name> var = what;                    \
    const auto var##_def = identifier_chars[set_name];                 \
    BOOST_SPIRIT_DEFINE(var)

FSMGEN_NAME_RULE(machine_name, "machine name")
FSMGEN_NAME_RULE(namespace_part, "namespace name")
FSMGEN_NAME_RULE(category_name, "event category")
FSMGEN_NAME_RULE(event_name, "event name")
FSMGEN_NAME_RULE(field_name, "field name")
FSMGEN_NAME_RULE(state_name, "state name")
FSMGEN_NAME_RULE(guard_name, "guard name")
FSMGEN_NAME_RULE(action_name, "action name")
// (#undef after the verification statements, which use it too)

// A string's syntax; the action below decodes it from the raw text.
struct escaped_char_id {};
const x3::rule<escaped_char_id> escaped_char = "an escape (\\\" \\\\ \\n or \\t)";
const auto escaped_char_def = x3::lit('"') | '\\' | 'n' | 't';
BOOST_SPIRIT_DEFINE(escaped_char)
const auto escape = x3::lit('\\') > escaped_char;
struct closing_quote_id {};
const x3::rule<closing_quote_id> closing_quote = "closing '\"' of the string (strings end on their line)";
const auto closing_quote_def = x3::lit('"');
BOOST_SPIRIT_DEFINE(closing_quote)

const auto set_text = [](auto& ctx) {
    auto range = x3::_attr(ctx);
    std::string& out = x3::_val(ctx).value;
    for (auto it = std::next(range.begin()); it != std::prev(range.end()); ++it) {
        char c = *it;
        if (c == '\\') {
            c = *++it;
            c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }
        out += c;
    }
    x3::_val(ctx).span = span_of(ctx, range);
};
struct text_id {};
const x3::rule<text_id, ast::Text> text = "string";
const auto text_def = x3::raw[x3::lexeme['"' > *(escape | (x3::char_ - '"' - '\\' - x3::eol)) > closing_quote]][set_text];
BOOST_SPIRIT_DEFINE(text)

// ---- statements ------------------------------------------------------------------------------------

struct machine_decl_id : annotate {};
const x3::rule<machine_decl_id, ast::MachineDecl> machine_decl = "machine declaration";
const auto machine_decl_def = kw("machine") > machine_name > -text;
BOOST_SPIRIT_DEFINE(machine_decl)

struct namespace_decl_id {};
const x3::rule<namespace_decl_id, std::vector<ast::Name>> namespace_decl = "namespace declaration";
const auto namespace_decl_def = kw("namespace") > namespace_part > *("::" > namespace_part);
BOOST_SPIRIT_DEFINE(namespace_decl)

// A C++ type: a qualified name whose parts may take template arguments (types or integers). No
// pointers, references or cv-qualifiers: an event's fields are values. C++ keywords are welcome here
// (int, unsigned, bool).
struct cxx_type_syntax_id {};
const x3::rule<cxx_type_syntax_id> cxx_type_syntax = "C++ type";
struct template_arg_id {};
const x3::rule<template_arg_id> template_arg = "template argument (a type or an integer)";
struct template_close_id {};
const x3::rule<template_close_id> template_close = "',' or '>'";
const auto template_close_def = x3::lit('>');
const auto cxx_word = x3::lexeme[(ascii::alpha | x3::char_('_')) >> *word_char];
const auto template_arg_def = cxx_type_syntax | x3::lexeme[+ascii::digit >> !word_char];
const auto cxx_segment = cxx_word >> -('<' > template_arg > *(',' > template_arg) > template_close);
struct type_part_id {};
const x3::rule<type_part_id> type_part = "type name";
const auto type_part_def = cxx_segment;
const auto cxx_type_syntax_def = -x3::lit("::") >> type_part >> *("::" > type_part);
BOOST_SPIRIT_DEFINE(cxx_type_syntax, template_arg, template_close, type_part)

const auto set_type = [](auto& ctx) {
    auto range = x3::_attr(ctx);
    std::string& out = x3::_val(ctx).text;
    for (char c : range) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        out += c;
        if (c == ',') out += ' ';
    }
    x3::_val(ctx).span = span_of(ctx, range);
};
struct cxx_type_id {};
const x3::rule<cxx_type_id, ast::CxxType> cxx_type = "C++ type";
const auto cxx_type_def = x3::raw[cxx_type_syntax][set_type];
BOOST_SPIRIT_DEFINE(cxx_type)

struct field_id : annotate {};
const x3::rule<field_id, ast::Field> field = "field name";
const auto field_def = field_name > ':' > cxx_type;
BOOST_SPIRIT_DEFINE(field)
struct field_list_id {};
const x3::rule<field_list_id, std::vector<ast::Field>> field_list = "field name";
const auto field_list_def = field > *(',' > field);
BOOST_SPIRIT_DEFINE(field_list)
struct fields_close_id {};
const x3::rule<fields_close_id> fields_close = "',' or ')'";
const auto fields_close_def = x3::lit(')');
BOOST_SPIRIT_DEFINE(fields_close)
struct fields_id {};
const x3::rule<fields_id, std::vector<ast::Field>> fields = "fields";
const auto fields_def = '(' > ((x3::lit(')') >> x3::attr(std::vector<ast::Field>{})) | (field_list > fields_close));
BOOST_SPIRIT_DEFINE(fields)
struct alias_id {};
const x3::rule<alias_id, ast::CxxType> alias = "'=' and a C++ type";
const auto alias_def = '=' > cxx_type;
BOOST_SPIRIT_DEFINE(alias)

struct event_decl_id : annotate {};
const x3::rule<event_decl_id, ast::EventDecl> event_decl = "event name";
const auto event_decl_def = event_name > -fields > -alias > -text;
BOOST_SPIRIT_DEFINE(event_decl)

struct event_group_id : annotate {};
const x3::rule<event_group_id, ast::EventGroup> event_group = "event category";
// A list inside a struct gets a rule of its own: inline, X3 would spread its elements over the
// struct's members.
struct event_list_id {};
const x3::rule<event_list_id, std::vector<ast::EventDecl>> event_list = "event name";
const auto event_list_def = event_decl > *(',' > event_decl);
BOOST_SPIRIT_DEFINE(event_list)
const auto event_group_def = category_name > -text > ':' > event_list;
BOOST_SPIRIT_DEFINE(event_group)

struct events_block_id : annotate {};
const x3::rule<events_block_id, std::vector<ast::EventGroup>> events_block = "events block";
const auto events_block_def = kw("events") > '{' > x3::skip(multiline_skipper)[*event_group > '}'];
BOOST_SPIRIT_DEFINE(events_block)

struct include_path_id {};
const x3::rule<include_path_id, ast::IncludeDecl> include_path = "'<' or '\"' and a header name";
const auto include_path_def = x3::lexeme[(('<' >> x3::attr(true) >> +(x3::char_ - '>' - x3::eol)) > '>') |
                                         (('"' >> x3::attr(false) >> +(x3::char_ - '"' - x3::eol)) > '"')];
BOOST_SPIRIT_DEFINE(include_path)
struct include_decl_id : annotate {};
const x3::rule<include_decl_id, ast::IncludeDecl> include_decl = "include declaration";
const auto include_decl_def = kw("include") > include_path;
BOOST_SPIRIT_DEFINE(include_decl)

struct marker_id {};
const x3::rule<marker_id, ast::StateMarker> marker = "'initial' or 'final'";
const auto marker_def = (kw("initial") >> x3::attr(ast::StateMarker::initial)) |
                        (kw("final") >> x3::attr(ast::StateMarker::final));
BOOST_SPIRIT_DEFINE(marker)

struct hook_id : annotate {};
const x3::rule<hook_id, ast::StateHook> hook = "'entry' or 'exit'";
struct action_list_id {};
const x3::rule<action_list_id, std::vector<ast::Name>> action_list = "action name";
const auto action_list_def = action_name > *(',' > action_name);
BOOST_SPIRIT_DEFINE(action_list)
const auto hook_def = ((kw("entry") >> x3::attr(true)) | (kw("exit") >> x3::attr(false))) > action_list;
BOOST_SPIRIT_DEFINE(hook)

struct state_decl_id : annotate {};
const x3::rule<state_decl_id, ast::StateDecl> state_decl = "state declaration";
struct state_keyword_id {};
const x3::rule<state_keyword_id> state_keyword = "'state'";
const auto state_keyword_def = kw("state");
BOOST_SPIRIT_DEFINE(state_keyword)

const auto state_decl_def = *marker > state_keyword > state_name > -text > -('{' > x3::skip(multiline_skipper)[*hook > '}']);
BOOST_SPIRIT_DEFINE(state_decl)

struct state_set_id {};
const x3::rule<state_set_id, std::vector<ast::Name>> state_set = "'{' and a list of states";
const auto state_set_def = '{' > state_name > *(',' > state_name) > '}';
BOOST_SPIRIT_DEFINE(state_set)

struct source_id : annotate {};
const x3::rule<source_id, ast::Source> source = "source state, '{' or '*'";
const auto source_def = ('*' >> x3::attr(ast::SourceKind::wildcard) >> (('-' > state_set) | x3::attr(std::vector<ast::Name>{}))) |
                        (x3::attr(ast::SourceKind::set) >> state_set) |
                        (x3::attr(ast::SourceKind::single) >> x3::repeat(1)[state_name]);
BOOST_SPIRIT_DEFINE(source)

struct guard_literal_id : annotate {};
const x3::rule<guard_literal_id, ast::GuardLiteral> guard_literal = "guard name";
const auto guard_literal_def = x3::matches['!'] > guard_name;
BOOST_SPIRIT_DEFINE(guard_literal)

struct guard_id {};
const x3::rule<guard_id, std::vector<ast::GuardLiteral>> guard = "guard";
const auto guard_def = '[' > guard_literal > *("&&" > guard_literal) > ']';
BOOST_SPIRIT_DEFINE(guard)

struct actions_id {};
const x3::rule<actions_id, std::vector<ast::Name>> actions = "actions";
const auto actions_def = '/' > action_list;
BOOST_SPIRIT_DEFINE(actions)

struct target_id {};
const x3::rule<target_id, ast::Name> target = "'->' and a target state";
const auto target_def = "->" > state_name;
BOOST_SPIRIT_DEFINE(target)

struct transition_id : annotate {};
const x3::rule<transition_id, ast::Transition> transition = "transition";
const auto transition_def = source > '+' > event_name > -guard > -actions > -target;
BOOST_SPIRIT_DEFINE(transition)

// ---- verification statements: properties and compositions (docs/spec-language.md#verification) -----

FSMGEN_NAME_RULE(instance_name, "instance name")
FSMGEN_NAME_RULE(channel_option, "channel option")

// A keyword the grammar expects at this point, named for the error message.
#define FSMGEN_KEYWORD_RULE(var, word, what)     \
    struct var##_id {};                          \
    const x3::rule<var##_id> var = what;         \
    const auto var##_def = kw(word);             \
    BOOST_SPIRIT_DEFINE(var)
FSMGEN_KEYWORD_RULE(never_keyword, "never", "'never' or 'from'")
FSMGEN_KEYWORD_RULE(without_keyword, "without", "'without'")
FSMGEN_KEYWORD_RULE(eventually_keyword, "eventually", "'eventually'")
FSMGEN_KEYWORD_RULE(capacity_keyword, "capacity", "'capacity'")
#undef FSMGEN_KEYWORD_RULE

struct capacity_number_id {};
const x3::rule<capacity_number_id, ast::Name> capacity_number = "capacity (a number)";
const auto capacity_number_def = x3::raw[x3::lexeme[+ascii::digit >> !word_char]][set_name];
BOOST_SPIRIT_DEFINE(capacity_number)

struct state_list_id {};
const x3::rule<state_list_id, std::vector<ast::Name>> state_list = "state or '{' and a list of states";
const auto state_list_def = state_set | x3::repeat(1)[state_name];
BOOST_SPIRIT_DEFINE(state_list)

struct after_clause_id : annotate {};
const x3::rule<after_clause_id, ast::AfterClause> after_clause = "'after'";
const auto after_clause_def = kw("after") > event_name > without_keyword > action_name;
BOOST_SPIRIT_DEFINE(after_clause)

struct safety_decl_id : annotate {};
const x3::rule<safety_decl_id, ast::SafetyDecl> safety_decl = "safety property";
const auto safety_decl_def = kw("assert") > never_keyword > state_list > -after_clause;
BOOST_SPIRIT_DEFINE(safety_decl)

struct liveness_decl_id : annotate {};
const x3::rule<liveness_decl_id, ast::LivenessDecl> liveness_decl = "liveness property";
const auto liveness_decl_def = (kw("assert") >> kw("from")) > state_list > eventually_keyword > state_list;
BOOST_SPIRIT_DEFINE(liveness_decl)

struct instances_decl_id {};
const x3::rule<instances_decl_id, std::vector<ast::Name>> instances_decl = "instance declaration";
const auto instances_decl_def = kw("instance") > (instance_name % ',');
BOOST_SPIRIT_DEFINE(instances_decl)

struct channel_decl_id : annotate {};
const x3::rule<channel_decl_id, ast::ChannelDecl> channel_decl = "channel declaration";
const auto channel_decl_def = kw("channel") > instance_name > "->" > instance_name > capacity_keyword > capacity_number > *channel_option;
BOOST_SPIRIT_DEFINE(channel_decl)

struct message_decl_id : annotate {};
const x3::rule<message_decl_id, ast::MessageDecl> message_decl = "message declaration";
const auto message_decl_def = kw("message") > action_name > "->" > event_name;
BOOST_SPIRIT_DEFINE(message_decl)
#undef FSMGEN_NAME_RULE

// ---- the statement loop and error recovery ---------------------------------------------------------

bool is_word_byte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// What a message calls the text at `at`: a word, one (UTF-8) character, or the end of the file.
std::string describe(const std::string& text, std::size_t at) {
    if (at >= text.size()) return "end of file";
    if (text[at] == '\n' || text[at] == '\r') return "end of line";
    std::size_t end = at + 1;
    if (is_word_byte(text[at])) {
        while (end < text.size() && is_word_byte(text[end]) && end - at < 40) ++end;
    } else if (static_cast<unsigned char>(text[at]) >= 0x80) {
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80 && end - at < 4) ++end;
    } else if (static_cast<unsigned char>(text[at]) < 0x20 || text[at] == 0x7F) {
        return "a control character";
    }
    return "'" + text.substr(at, end - at) + "'";
}

// Skips white space and comments; returns the first position of the next token.
std::size_t skip_blank(const std::string& text, std::size_t at) {
    auto it = text.cbegin() + static_cast<std::ptrdiff_t>(at);
    x3::parse(it, text.cend(), *multiline_skipper);
    return static_cast<std::size_t>(it - text.cbegin());
}

std::size_t end_of_line(const std::string& text, std::size_t at) {
    auto nl = text.find('\n', at);
    return nl == std::string::npos ? text.size() : nl + 1;
}

class StatementParser {
public:
    StatementParser(const SourceFile& file, Diagnostics& diags) : text_(file.text()), diags_(diags) {}

    ast::Spec run() {
        std::size_t at = skip_blank(text_, 0);
        while (at < text_.size()) {
            if (diags_.too_many_errors()) break;
            at = statement(at);
            at = skip_blank(text_, at);
        }
        return std::move(spec_);
    }

private:
    Span token(std::size_t at) const {
        std::size_t end = at;
        while (end < text_.size() && is_word_byte(text_[end])) ++end;
        if (end == at && at < text_.size() && text_[at] != '\n') ++end;
        return {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(end)};
    }

    bool starts_with_keyword(std::size_t at, std::string_view word) const {
        if (text_.compare(at, word.size(), word) != 0) return false;
        std::size_t after = at + word.size();
        return after >= text_.size() || !is_word_byte(text_[after]);
    }

    // Parses the statement that starts at `at` (a token); returns where the next one may start.
    std::size_t statement(std::size_t at) {
        if (starts_with_keyword(at, "machine")) return run_rule(at, machine_decl, spec_.machines);
        if (starts_with_keyword(at, "namespace")) {
            std::vector<ast::Name> parts;
            std::size_t next = run_rule(at, namespace_decl, parts);
            if (!parts.empty()) {
                ast::NamespaceDecl decl;
                decl.span = {static_cast<std::uint32_t>(at), parts.back().span.end};
                decl.parts = std::move(parts);
                spec_.namespaces.push_back(std::move(decl));
            }
            return next;
        }
        if (starts_with_keyword(at, "include")) return run_rule(at, include_decl, spec_.includes);
        if (starts_with_keyword(at, "events")) {
            std::vector<ast::EventGroup> groups;
            std::size_t errors = diags_.error_count();
            std::size_t next = run_rule(at, events_block, groups, /*is_block=*/true);
            if (diags_.error_count() > errors) spec_.events_incomplete = true;
            ast::EventsBlock block;
            block.span = {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(next)};
            block.groups = std::move(groups);
            spec_.events.push_back(std::move(block));
            return next;
        }
        if (starts_with_keyword(at, "state") || starts_with_keyword(at, "initial") || starts_with_keyword(at, "final")) {
            std::size_t errors = diags_.error_count();
            std::size_t next = run_rule(at, state_decl, spec_.states, /*is_block=*/true);
            if (diags_.error_count() > errors) spec_.states_incomplete = true;
            return next;
        }
        if (std::size_t next = verification_statement(at)) return next;
        if (is_name_start(text_[at]) || text_[at] == '*' || text_[at] == '{')
            return run_rule(at, transition, spec_.transitions);
        return not_a_statement(at);
    }

    // A verification statement's first word, not a transition from a state of that name (`message + e`).
    bool starts_verification(std::size_t at, std::string_view word) const {
        if (!starts_with_keyword(at, word)) return false;
        std::size_t next = at + word.size();
        while (next < text_.size() && (text_[next] == ' ' || text_[next] == '\t')) ++next;
        return next >= text_.size() || text_[next] != '+';
    }

    // Properties and compositions; 0 when the statement at `at` is none of them.
    std::size_t verification_statement(std::size_t at) {
        if (starts_verification(at, "assert")) {
            std::size_t word = at + 6;
            while (word < text_.size() && (text_[word] == ' ' || text_[word] == '\t')) ++word;
            if (starts_with_keyword(word, "from")) return run_rule(at, liveness_decl, spec_.liveness);
            return run_rule(at, safety_decl, spec_.safety);
        }
        if (starts_verification(at, "instance")) {
            std::vector<ast::Name> names;
            std::size_t next = run_rule(at, instances_decl, names);
            spec_.instances.insert(spec_.instances.end(), names.begin(), names.end());
            return next;
        }
        if (starts_verification(at, "channel")) return run_rule(at, channel_decl, spec_.channels);
        if (starts_verification(at, "message")) return run_rule(at, message_decl, spec_.messages);
        return 0;
    }

    static bool is_name_start(char c) { return is_word_byte(c) && !(c >= '0' && c <= '9'); }

    std::size_t not_a_statement(std::size_t at) {
        std::string message =
            "expected a statement (machine, namespace, include, events, state, or a transition) but found " + describe(text_, at);
        if (static_cast<unsigned char>(text_[at]) >= 0x80) message += non_ascii_hint;
        diags_.error(token(at), message);
        return end_of_line(text_, at);
    }

    static constexpr const char* non_ascii_hint =
        "; names are ASCII ([A-Za-z_][A-Za-z0-9_]*), UTF-8 is allowed in strings and comments";

    template <class Rule, class Out>
    std::size_t run_rule(std::size_t at, const Rule& rule, Out& out, bool is_block = false) {
        Iterator begin = text_.cbegin();
        Iterator it = begin + static_cast<std::ptrdiff_t>(at);
        typename Rule::attribute_type node{};
        bool ok = false;
        try {
            ok = x3::phrase_parse(it, text_.cend(), x3::with<buffer_begin_tag>(std::cref(begin))[rule], inline_skipper, node,
                                  x3::skip_flag::dont_post_skip);
        } catch (const x3::expectation_failure<Iterator>& failure) {
            std::size_t where = static_cast<std::size_t>(failure.where() - begin);
            // An expectation fails before the skipper runs: point at the token that is really there,
            // unless that is on a later line (then the caret stays at the end of this one).
            std::size_t next = skip_blank(text_, where);
            if (text_.find('\n', where) >= next) where = next;
            else where = std::min(text_.find_first_of("\r\n", where), text_.size());
            report_expected(failure.which(), where);
            return recover(at, where, is_block);
        }
        if (!ok) return not_a_statement(at);  // the first token looked right, the rule still declined
        std::size_t end = static_cast<std::size_t>(it - begin);
        if constexpr (std::is_same_v<Out, std::vector<typename Rule::attribute_type>>)
            out.push_back(std::move(node));
        else
            out = std::move(node);
        return expect_line_end(end);
    }

    void report_expected(const std::string& what, std::size_t where) {
        std::string found = describe(text_, where);
        if (text_.compare(where, 2, "||") == 0) found = "'||'";
        // Every parser after a '>' is a named rule or a literal. Should an unnamed one slip in, X3
        // would name it by its mangled C++ type, which must never reach a user.
        bool readable = what.find("boost") == std::string::npos && what.find("spirit") == std::string::npos;
        std::string message = readable ? "expected " + what + " but found " + found : "unexpected " + found;
        if (where < text_.size() && static_cast<unsigned char>(text_[where]) >= 0x80) message += non_ascii_hint;
        if (what == "']'" && (found == "'||'" || found == "'|'" || found == "'or'" || found == "'and'" || found == "'&'"))
            message += "; a guard is a conjunction like [a && !b]: '&&' and '!' exist, '||' does not; write one row per alternative";
        if (where < text_.size() && is_word_byte(text_[where])) {
            auto t = token(where);
            auto word = text_.substr(t.begin, t.end - t.begin);
            auto tail = text_.cbegin() + static_cast<std::ptrdiff_t>(where);
            if (x3::parse(tail, text_.cend(), keyword)) message += " ('" + word + "' is a keyword)";
        }
        Span at = token(where);
        if (found == "'||'") at.end = at.begin + 2;
        diags_.error(at, std::move(message));
    }

    // A statement ends with its line (blanks and a comment may follow it).
    std::size_t expect_line_end(std::size_t end) {
        auto it = text_.cbegin() + static_cast<std::ptrdiff_t>(end);
        x3::parse(it, text_.cend(), *inline_skipper);
        end = static_cast<std::size_t>(it - text_.cbegin());
        if (end >= text_.size() || text_[end] == '\n') return end;
        diags_.error(token(end), "unexpected " + describe(text_, end) + " after the statement; write one statement per line");
        return end_of_line(text_, end);
    }

    // Resumes after the line of the error; inside a block that is still open at the error, after the
    // block's closing brace, so that the rest of the block is not misread as statements.
    std::size_t recover(std::size_t start, std::size_t error_at, bool is_block) {
        if (is_block) {
            std::size_t open = text_.rfind('{', error_at == 0 ? 0 : error_at - 1);
            bool open_here = open != std::string::npos && open >= start;
            if (open_here && text_.find('}', open) >= error_at) {
                std::size_t close = text_.find('}', error_at);
                if (close != std::string::npos) return close + 1;
            }
        }
        return end_of_line(text_, error_at);
    }

    const std::string& text_;
    Diagnostics& diags_;
    ast::Spec spec_;
};

}  // namespace

ast::Spec parse(const SourceFile& file, Diagnostics& diags) { return StatementParser(file, diags).run(); }

}  // namespace fsmgen
