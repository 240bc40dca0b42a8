// The user's own types that random specs use (tests/random_spec/spec_generator.cpp): as the type of an
// event (`name = rs_user::record`, docs/spec-language.md "event type") and as the type of a field. A
// spec that names one includes this header (`include "random_spec/user_events.hpp"`).
//
// One of each kind of type a user brings: empty, an aggregate with members that allocate, a class
// that is not an aggregate, a scoped enum, a class template, a final class, a polymorphic class, a
// type in a nested namespace; and types named like what the generated header declares itself
// (`event`, `state`, `machine`...), which it must not confuse with its own.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace rs_user {

struct empty {};

struct record {
    std::uint32_t code;
    std::string text;
    std::vector<int> list;
};

// Not an aggregate: built by its own default constructor.
class constructed {
public:
    constructed() : n_(7) {}
    int n() const { return n_; }

private:
    int n_;
};

enum class signal : std::uint8_t { none, raised };

template <class T>
struct box {
    T value;
};

struct sealed final {
    int n;
};

struct polymorphic {
    polymorphic() = default;
    polymorphic(const polymorphic&) = default;
    polymorphic& operator=(const polymorphic&) = default;
    virtual ~polymorphic() = default;
    virtual int n() const { return 1; }
};

// Has no address to give: the generated header must never apply `&` to an event (it builds queued
// events at the address of their union; tests/msm_names_test.cpp raises one).
struct no_address {
    int n;
    void operator&() const = delete;
};

// Counts its live objects, and its copy throws while throw_on_copy is set: a queued event whose copy
// fails halfway through assigning a machine must be neither leaked nor destroyed twice
// (tests/msm_names_test.cpp).
struct fragile {
    static inline int live = 0;
    static inline bool throw_on_copy = false;
    int n = 0;
    fragile() noexcept { ++live; }
    explicit fragile(int value) noexcept : n(value) { ++live; }
    fragile(const fragile& o) : n(o.n) {
        if (throw_on_copy) throw std::runtime_error("fragile: copy refused");
        ++live;
    }
    fragile(fragile&& o) noexcept : n(o.n) { ++live; }
    fragile& operator=(const fragile& o) {
        if (throw_on_copy) throw std::runtime_error("fragile: copy refused");
        n = o.n;
        return *this;
    }
    fragile& operator=(fragile&& o) noexcept {
        n = o.n;
        return *this;
    }
    ~fragile() { --live; }
};

namespace inner::deep {
struct message {
    double weight;
};
}  // namespace inner::deep

// Named like the generated header's own namespaces, types and members.
struct event {};
struct state {};
struct machine {
    int fsm;
};
struct detail {};
struct context {};

}  // namespace rs_user
