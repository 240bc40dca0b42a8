#include "check/reserved_names.hpp"

#include <set>

namespace fsmgen::reserved {
namespace {

using Words = std::set<std::string_view>;

const Words& cpp_keywords() {
    static const Words words = {
        "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
        "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
        "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
        "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
        "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
        "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
        "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
        "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
        "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq"};
    return words;
}

// Macros of the C++ standard library (its C headers included), and the ones g++ and clang predefine
// in their default GNU modes (-std=gnu++17: `linux`, `unix`). A state named EOF compiles inside the
// generated header (its macro shield undefines spec names there), but not in the user's code that
// names tcp::state::EOF after including <cstdio>. Other platform macros (glibc's SEEK_DATA, Boost's
// own) are left to the shield.
bool is_standard_macro(std::string_view s) {
    static const Words words = {
        // predefined in GNU modes
        "linux", "unix", "i386",
        // <cassert> <cstddef> <cstdarg> <csetjmp> <cerrno> <cstdio> <cstdlib> <ctime> <clocale> <csignal>
        "assert", "NULL", "offsetof", "va_arg", "va_copy", "va_end", "va_start", "setjmp", "errno", "EOF", "BUFSIZ",
        "FILENAME_MAX", "FOPEN_MAX", "L_tmpnam", "TMP_MAX", "SEEK_SET", "SEEK_CUR", "SEEK_END", "stdin", "stdout",
        "stderr", "EXIT_FAILURE", "EXIT_SUCCESS", "MB_CUR_MAX", "RAND_MAX", "CLOCKS_PER_SEC", "TIME_UTC", "LC_ALL",
        "LC_COLLATE", "LC_CTYPE", "LC_MONETARY", "LC_NUMERIC", "LC_TIME", "SIGABRT", "SIGFPE", "SIGILL", "SIGINT",
        "SIGSEGV", "SIGTERM", "SIG_DFL", "SIG_ERR", "SIG_IGN",
        // <cerrno>
        "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EAGAIN", "EALREADY", "EBADF", "EBADMSG",
        "EBUSY", "ECANCELED", "ECHILD", "ECONNABORTED", "ECONNREFUSED", "ECONNRESET", "EDEADLK", "EDESTADDRREQ",
        "EDOM", "EEXIST", "EFAULT", "EFBIG", "EHOSTUNREACH", "EIDRM", "EILSEQ", "EINPROGRESS", "EINTR", "EINVAL",
        "EIO", "EISCONN", "EISDIR", "ELOOP", "EMFILE", "EMLINK", "EMSGSIZE", "ENAMETOOLONG", "ENETDOWN",
        "ENETRESET", "ENETUNREACH", "ENFILE", "ENOBUFS", "ENODATA", "ENODEV", "ENOENT", "ENOEXEC", "ENOLCK",
        "ENOLINK", "ENOMEM", "ENOMSG", "ENOPROTOOPT", "ENOSPC", "ENOSR", "ENOSTR", "ENOSYS", "ENOTCONN", "ENOTDIR",
        "ENOTEMPTY", "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP", "ENOTTY", "ENXIO", "EOPNOTSUPP", "EOVERFLOW",
        "EOWNERDEAD", "EPERM", "EPIPE", "EPROTO", "EPROTONOSUPPORT", "EPROTOTYPE", "ERANGE", "EROFS", "ESPIPE",
        "ESRCH", "ETIME", "ETIMEDOUT", "ETXTBSY", "EWOULDBLOCK", "EXDEV",
        // <climits> <cstdint> <cwchar> (the exact-width ones are matched below)
        "CHAR_BIT", "CHAR_MIN", "CHAR_MAX", "SCHAR_MIN", "SCHAR_MAX", "UCHAR_MAX", "SHRT_MIN", "SHRT_MAX",
        "USHRT_MAX", "INT_MIN", "INT_MAX", "UINT_MAX", "LONG_MIN", "LONG_MAX", "ULONG_MAX", "LLONG_MIN", "LLONG_MAX",
        "ULLONG_MAX", "MB_LEN_MAX", "SIZE_MAX", "PTRDIFF_MIN", "PTRDIFF_MAX", "SIG_ATOMIC_MIN", "SIG_ATOMIC_MAX",
        "WCHAR_MIN", "WCHAR_MAX", "WINT_MIN", "WINT_MAX", "WEOF", "INTMAX_MIN", "INTMAX_MAX", "UINTMAX_MAX",
        "INTPTR_MIN", "INTPTR_MAX", "UINTPTR_MAX", "INTMAX_C", "UINTMAX_C",
        // <cmath> <cfloat> <cfenv>
        "HUGE_VAL", "HUGE_VALF", "HUGE_VALL", "INFINITY", "NAN", "FP_INFINITE", "FP_NAN", "FP_NORMAL",
        "FP_SUBNORMAL", "FP_ZERO", "FP_FAST_FMA", "FP_FAST_FMAF", "FP_FAST_FMAL", "FP_ILOGB0", "FP_ILOGBNAN",
        "MATH_ERRNO", "MATH_ERREXCEPT", "math_errhandling", "DECIMAL_DIG", "FLT_RADIX", "FLT_ROUNDS",
        "FLT_EVAL_METHOD", "FE_DIVBYZERO", "FE_INEXACT", "FE_INVALID", "FE_OVERFLOW", "FE_UNDERFLOW",
        "FE_ALL_EXCEPT", "FE_DOWNWARD", "FE_TONEAREST", "FE_TOWARDZERO", "FE_UPWARD", "FE_DFL_ENV",
        // <atomic>
        "ATOMIC_VAR_INIT", "ATOMIC_FLAG_INIT", "ATOMIC_BOOL_LOCK_FREE", "ATOMIC_CHAR_LOCK_FREE",
        "ATOMIC_CHAR16_T_LOCK_FREE", "ATOMIC_CHAR32_T_LOCK_FREE", "ATOMIC_WCHAR_T_LOCK_FREE",
        "ATOMIC_SHORT_LOCK_FREE", "ATOMIC_INT_LOCK_FREE", "ATOMIC_LONG_LOCK_FREE", "ATOMIC_LLONG_LOCK_FREE",
        "ATOMIC_POINTER_LOCK_FREE"};
    if (words.count(s)) return true;
    auto starts = [&](std::string_view p) { return s.substr(0, p.size()) == p; };
    // FLT_MAX, DBL_EPSILON, LDBL_MANT_DIG...
    if (starts("FLT_") || starts("DBL_") || starts("LDBL_")) return true;
    // INT8_MIN, UINT_LEAST16_MAX, INT64_C...; PRId32, SCNxFAST8... (<cinttypes>)
    for (std::string_view p : {"INT", "UINT"}) {
        if (!starts(p)) continue;
        std::string_view rest = s.substr(p.size());
        for (std::string_view kind : {"_LEAST", "_FAST", ""})
            if (rest.substr(0, kind.size()) == kind) {
                std::string_view bits = rest.substr(kind.size());
                for (std::string_view n : {"8", "16", "32", "64"})
                    if (bits.substr(0, n.size()) == n) {
                        std::string_view tail = bits.substr(n.size());
                        if (tail == "_MIN" || tail == "_MAX" || (kind.empty() && tail == "_C")) return true;
                    }
            }
    }
    if ((starts("PRI") || starts("SCN")) && s.size() > 4 && std::string_view("diouxX").find(s[3]) != std::string_view::npos) {
        std::string_view tail = s.substr(4);
        for (std::string_view kind : {"LEAST", "FAST", ""})
            for (std::string_view n : {"8", "16", "32", "64"})
                if (tail == std::string(kind) + std::string(n)) return true;
        if (tail == "MAX" || tail == "PTR") return true;
    }
    return false;
}

// The global names of the generated header, and the macro prefixes of Boost and of fsmgen's headers
// (include guards, FSMGEN_MSM_SUPPORT_2).
bool is_generated_global(std::string_view s) {
    return s == "std" || s == "boost" || s == "posix" || s == "fsmgen_msm" ||
           (s.size() > 3 && s.substr(0, 3) == "std" && s.find_first_not_of("0123456789", 3) == std::string_view::npos);
}
bool has_macro_prefix(std::string_view s) { return s.substr(0, 6) == "BOOST_" || s.substr(0, 7) == "FSMGEN_"; }

// Members of the generated scripted_context (where every guard and action becomes a member function)
// and the template parameter of those members: a guard of the same name would hide or overload them.
const Words& scripted_context_names() {
    static const Words words = {"log", "unhandled", "rejected", "on_dispatch", "on_unhandled", "on_rejected", "on_row",
                                "set_oracle", "ask", "oracle_", "source_", "guard_oracle", "report", "on_action", "acted",
                                "scripted_context", "state", "event_id", "id_of", "E"};
    return words;
}

// Boost.MSM detects features of an event type by nested names (BOOST_MPL_HAS_XXX_TRAIT_DEF in
// boost/msm): an event struct named like one has it as its injected class name, and MSM would take
// the event for a completion event, a direct entry... (state types are prefixed instead: msm.cpp).
const Words& msm_trait_names() {
    static const Words words = {
        "accept_sig", "action_name", "activate_deferred_events", "active_state_switch_policy", "attribute_tag",
        "compile_policy", "completion_event", "composite_tag", "concrete_exit_state", "control_configure_tag",
        "defer_create_tag", "deferring_action", "direct_entry", "do_serialize", "event_blocking_flag",
        "event_queue_before_deferred_queue", "explicit_creation", "explicit_entry_state", "final_event",
        "flag_create_tag", "fsm_check", "history_policy", "initial_event", "is_frow", "iterator_category",
        "key_type", "no_automatic_create", "no_exception_thrown", "no_message_queue", "non_forwarding_flag",
        "not_intern_euml_state", "not_real_row_tag", "pseudo_entry", "pseudo_exit", "queue_container_policy",
        "reference", "some_deferring_actions", "tag_type", "using_declared_table", "wrapped_entry"};
    return words;
}

}  // namespace

std::optional<std::string> why_reserved(std::string_view name, Role role) {
    if (cpp_keywords().count(name)) return std::string("is a C++ keyword");
    if (name.find("__") != std::string_view::npos || (name.size() >= 2 && name[0] == '_' && name[1] >= 'A' && name[1] <= 'Z'))
        return std::string("is reserved in C++ (it contains '__' or starts with '_' and a capital)");
    if (is_standard_macro(name)) return std::string("is a macro of the C++ standard library or of the compiler (-std=gnu++17)");
    if (has_macro_prefix(name)) return std::string("starts like the macros of Boost or of fsmgen's headers (BOOST_, FSMGEN_)");
    if (role == Role::namespace_first && name == "main")
        return std::string("would be a namespace at global scope, where the program's main function is");
    if (role == Role::namespace_first && is_generated_global(name))
        return std::string("is a namespace of the standard library, of Boost or of the generated header");
    if (role == Role::event && msm_trait_names().count(name))
        return std::string("is a name Boost.MSM looks for inside event types");
    if ((role == Role::guard || role == Role::action) && scripted_context_names().count(name))
        return std::string("is a name the generated scripted_context uses (docs/generated-api.md)");
    return std::nullopt;
}

}  // namespace fsmgen::reserved
