// problem.yaml's reader (core/yaml.h): the tree the Kattis loader walks, its
// nulls as YAML spells them, lines for messages, and text that is not YAML.
#include "core/yaml.h"

#include <catch2/catch.hpp>

#include <string>

using wb::core::yaml::load;
using wb::core::yaml::Node;
using wb::core::yaml::ParseError;

TEST_CASE("a YAML map gives its values by key, in order, with their lines") {
    const Node root = load("name: Double it\nlimits:\n  time_limit: 2\n  memory: 512\n"
                           "type: [pass-fail, custom]\n");
    REQUIRE(root.is_map());
    CHECK(root["name"].is_scalar());
    CHECK(root["name"].scalar() == "Double it");
    CHECK(root["limits"]["memory"].scalar() == "512");
    CHECK(root["limits"]["memory"].line() == 3);
    CHECK(root["type"].line() == 4);
    CHECK_FALSE(root["nothing"]);
    CHECK_FALSE(root["nothing"]["deeper"]);
    CHECK(root["nothing"].line() == -1);
    const auto pairs = root["limits"].pairs();
    REQUIRE(pairs.size() == 2);
    CHECK(pairs[0].first.scalar() == "time_limit");
    CHECK(pairs[1].second.scalar() == "512");
    const auto items = root["type"].items();
    REQUIRE(items.size() == 2);
    CHECK(items[1].scalar() == "custom");
    CHECK(root["name"].items().empty());
    CHECK(root["name"].pairs().empty());
}

TEST_CASE("YAML's nulls are nulls, not scalars, and quoted ones are text") {
    const Node root = load("a:\nb: ~\nc: null\nd: NULL\ne: ''\nf: \"null\"\n");
    for (const char* key : {"a", "b", "c", "d"}) {
        INFO(key);
        CHECK(root[key]);
        CHECK(root[key].is_null());
        CHECK_FALSE(root[key].is_scalar());
    }
    for (const char* key : {"e", "f"}) {
        INFO(key);
        CHECK(root[key].is_scalar());
        CHECK_FALSE(root[key].is_null());
    }
    CHECK(root["f"].scalar() == "null");
    // An empty document, or one of comments only, is null.
    CHECK(load("").is_null());
    CHECK(load("# nothing\n").is_null());
    CHECK_FALSE(load("").is_map());
    CHECK(load("").pairs().empty());
}

TEST_CASE("YAML aliases share their node, and the first of two equal keys wins") {
    const Node root = load("base: &b {time_limit: 3}\nlimits: *b\nname: one\nname: two\n");
    CHECK(root["limits"]["time_limit"].scalar() == "3");
    CHECK(root["name"].scalar() == "one");
}

TEST_CASE("text that is not YAML is a ParseError with its line") {
    try {
        (void)load("name: x\nlimits: [1, 2\nother: 3\n");
        FAIL("no error");
    } catch (const ParseError& e) {
        CHECK(e.line() >= 1);
        CHECK(std::string(e.what()).size() > 0);
    }
    CHECK_THROWS_AS(load("a: b: c\n"), ParseError);
    CHECK_THROWS_AS(load("key: *undefined\n"), ParseError);
}
