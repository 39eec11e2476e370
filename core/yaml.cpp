// problem.yaml's tree on libyaml's document API (see yaml.h).
#include "core/yaml.h"

#include <array>
#include <yaml.h>

namespace wb::core::yaml {

struct Document {
    yaml_document_t doc{};
    Document() = default;
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;
    ~Document() { yaml_document_delete(&doc); }
};

namespace {

const yaml_node_t* as_node(const void* raw) {
    return static_cast<const yaml_node_t*>(raw);
}

} // namespace

const void* Node::raw() const {
    if (!doc_ || index_ == 0) return nullptr;
    return yaml_document_get_node(const_cast<yaml_document_t*>(&doc_->doc), index_);
}

bool Node::is_null() const {
    if (!doc_) return false;
    const yaml_node_t* n = as_node(raw());
    if (!n) return true; // an empty document
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    // YAML 1.2's core schema, as yaml-cpp read it: an unquoted ~, null or
    // nothing at all.
    const std::string_view text(reinterpret_cast<const char*>(n->data.scalar.value),
                                n->data.scalar.length);
    constexpr std::array<std::string_view, 5> nulls = {"", "~", "null", "Null", "NULL"};
    for (const auto word : nulls)
        if (text == word) return true;
    return false;
}

bool Node::is_scalar() const {
    const yaml_node_t* n = as_node(raw());
    return n && n->type == YAML_SCALAR_NODE && !is_null();
}

bool Node::is_map() const {
    const yaml_node_t* n = as_node(raw());
    return n && n->type == YAML_MAPPING_NODE;
}

bool Node::is_sequence() const {
    const yaml_node_t* n = as_node(raw());
    return n && n->type == YAML_SEQUENCE_NODE;
}

std::string Node::scalar() const {
    const yaml_node_t* n = as_node(raw());
    if (!n || n->type != YAML_SCALAR_NODE) return {};
    return {reinterpret_cast<const char*>(n->data.scalar.value), n->data.scalar.length};
}

Node Node::operator[](std::string_view key) const {
    const yaml_node_t* n = as_node(raw());
    if (!n || n->type != YAML_MAPPING_NODE) return {};
    for (const yaml_node_pair_t* p = n->data.mapping.pairs.start; p != n->data.mapping.pairs.top;
         ++p) {
        const Node k(doc_, p->key);
        if (k.is_scalar() && k.scalar() == key) return {doc_, p->value};
    }
    return {};
}

std::vector<Node> Node::items() const {
    std::vector<Node> out;
    const yaml_node_t* n = as_node(raw());
    if (!n || n->type != YAML_SEQUENCE_NODE) return out;
    for (const yaml_node_item_t* i = n->data.sequence.items.start; i != n->data.sequence.items.top;
         ++i)
        out.push_back({doc_, *i});
    return out;
}

std::vector<std::pair<Node, Node>> Node::pairs() const {
    std::vector<std::pair<Node, Node>> out;
    const yaml_node_t* n = as_node(raw());
    if (!n || n->type != YAML_MAPPING_NODE) return out;
    for (const yaml_node_pair_t* p = n->data.mapping.pairs.start; p != n->data.mapping.pairs.top;
         ++p)
        out.emplace_back(Node(doc_, p->key), Node(doc_, p->value));
    return out;
}

long Node::line() const {
    const yaml_node_t* n = as_node(raw());
    return n ? static_cast<long>(n->start_mark.line) : -1;
}

Node load(std::string_view text) {
    auto doc = std::make_shared<Document>();
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) throw ParseError("out of memory", -1);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
    // On failure libyaml frees what it built of the document and leaves it
    // empty, so the Document's destructor stays right either way.
    if (!yaml_parser_load(&parser, &doc->doc)) {
        std::string what = parser.problem ? parser.problem : "not YAML";
        if (parser.context) what = std::string(parser.context) + ": " + what;
        const auto line = static_cast<long>(parser.problem_mark.line);
        yaml_parser_delete(&parser);
        throw ParseError(what, line);
    }
    yaml_parser_delete(&parser);
    const yaml_node_t* root = yaml_document_get_root_node(&doc->doc);
    const int index = root ? static_cast<int>(root - doc->doc.nodes.start) + 1 : 0;
    return {std::move(doc), index};
}

} // namespace wb::core::yaml
