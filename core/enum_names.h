// The names of core's enums (toolchains, check modes, layouts, verdicts):
// one table per enum, read both ways, so that a name and its parser cannot
// drift apart and adding a value is one line.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace wb::core {

template <class E> struct Named {
    E value;
    std::string_view name;
};

template <class E, std::size_t N>
constexpr std::string_view name_in(const std::array<Named<E>, N>& table, E value) {
    for (const auto& n : table)
        if (n.value == value) return n.name;
    return "unknown";
}

template <class E, std::size_t N>
constexpr std::optional<E> value_in(const std::array<Named<E>, N>& table, std::string_view name) {
    for (const auto& n : table)
        if (n.name == name) return n.value;
    return std::nullopt;
}

} // namespace wb::core
