#include "model/model.hpp"

namespace fsmgen::model {

namespace {
template <class Items>
std::optional<std::size_t> index_of(const Items& items, std::string_view name) {
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].name == name) return i;
    return std::nullopt;
}
}  // namespace

std::optional<std::size_t> Model::find_state(std::string_view n) const { return index_of(states, n); }
std::optional<std::size_t> Model::find_event(std::string_view n) const { return index_of(events, n); }
std::optional<std::size_t> Model::find_category(std::string_view n) const { return index_of(categories, n); }

std::string Model::qualified_namespace() const {
    std::string out;
    for (const auto& part : cpp_namespace) {
        if (!out.empty()) out += "::";
        out += part;
    }
    return out;
}

}  // namespace fsmgen::model
