// A YAML document read whole into a read-only tree: what problem.yaml
// (core/mp_kattis.cpp) needs, on libyaml.
//
// libyaml is a C library: reading YAML with a C++ one (yaml-cpp) made every
// wbtool command load libstdc++.so, whose ~1700 symbol lookups at start-up
// were a third of `wbtool sandbox -- /bin/true` (issue 20); the binary links
// libstdc++ statically instead. The tree keeps what the Kattis reader asks:
// maps, sequences, scalars, the nulls YAML spells `~`, `null` or nothing, and
// each node's line for messages. Aliases are nodes shared, never copied, so
// a document of nested aliases stays as small as its text.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wb::core::yaml {

// Text that is not YAML: libyaml's problem and its line (0-based).
class ParseError : public std::runtime_error {
  public:
    ParseError(const std::string& what, long line) : std::runtime_error(what), line_(line) {}
    [[nodiscard]] long line() const { return line_; }

  private:
    long line_;
};

struct Document; // libyaml's, owned by every node of it

class Node {
  public:
    Node() = default; // undefined: a key that is not there

    // Defined: the key was there (its value may be null).
    explicit operator bool() const { return doc_ != nullptr; }
    [[nodiscard]] bool is_null() const;
    [[nodiscard]] bool is_scalar() const;
    [[nodiscard]] bool is_map() const;
    [[nodiscard]] bool is_sequence() const;
    // A scalar's text; "" for anything else.
    [[nodiscard]] std::string scalar() const;
    // A map's value for the first key whose text is `key`; undefined if none.
    Node operator[](std::string_view key) const;
    // A sequence's items; a map's key and value pairs; empty otherwise.
    [[nodiscard]] std::vector<Node> items() const;
    [[nodiscard]] std::vector<std::pair<Node, Node>> pairs() const;
    // Where the node starts (0-based); -1 if undefined or an empty document.
    [[nodiscard]] long line() const;

  private:
    friend Node load(std::string_view text);
    Node(std::shared_ptr<const Document> doc, int index) : doc_(std::move(doc)), index_(index) {}
    [[nodiscard]] const void* raw() const; // yaml_node_t*, nullptr for an empty document

    std::shared_ptr<const Document> doc_;
    int index_ = 0; // libyaml's node number (from 1); 0: an empty document, a null
};

// The first document of `text`; a null node if there is none. Throws
// ParseError.
Node load(std::string_view text);

} // namespace wb::core::yaml
