// What a PATCH changes (core/src/api/json_diff.hpp): the names the field rules and the audit
// line see.

#include "api/json_diff.hpp"

#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

namespace b3s::core::api {
namespace {

Poco::JSON::Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

using Names = std::vector<std::string>;

TEST(JsonDiffTest, NamesEveryLeafWhoseValueDiffers) {
    const auto before = parse(R"({"bbb":{"host":"h","secret":"s"},"load_factor":1,"settings":{"tags":null}})");
    EXPECT_EQ(changedFields(*before, *before), Names{});
    EXPECT_EQ(
        changedFields(*before, *parse(R"({"bbb":{"host":"h","secret":"t"},"load_factor":2,"settings":{"tags":null}})")),
        (Names{"bbb.secret", "load_factor"}));
    EXPECT_EQ(changedFields(*before,
                            *parse(R"({"bbb":{"host":"h","secret":"s"},"load_factor":1,"settings":{"tags":["a"]}})")),
              Names{"settings.tags"});
    // An object replaced by a scalar (or null) is a change of the object itself.
    EXPECT_EQ(changedFields(*before, *parse(R"({"bbb":null,"load_factor":1,"settings":{"tags":null}})")), Names{"bbb"});
}

TEST(JsonDiffTest, UnknownTopLevelKeysAreNoFieldsButNewParametersAre) {
    const auto before =
        parse(R"({"active":true,"settings":{"create_default_params":{"a":"1"},"attendees_limit":null}})");
    // b3scale's agent sends "backend": nothing reads it, nothing changes.
    EXPECT_EQ(
        changedFields(
            *before,
            *parse(
                R"({"active":true,"backend":{"x":1},"settings":{"create_default_params":{"a":"1"},"attendees_limit":null}})")),
        Names{});
    EXPECT_EQ(
        changedFields(
            *before,
            *parse(
                R"({"active":true,"settings":{"create_default_params":{"a":"1","b":"2"},"attendees_limit":{"limit":3}}})")),
        (Names{"settings.attendees_limit", "settings.create_default_params.b"}));
    // Removing a parameter that is not there adds nothing; removing one that is, changes it.
    EXPECT_EQ(
        changedFields(
            *before,
            *parse(R"({"active":true,"settings":{"create_default_params":{"a":"1","c":""},"attendees_limit":null}})")),
        Names{});
    EXPECT_EQ(
        changedFields(
            *before, *parse(R"({"active":true,"settings":{"create_default_params":{"a":""},"attendees_limit":null}})")),
        Names{"settings.create_default_params.a"});
}

TEST(JsonDiffTest, FieldNamesOfABodyAreItsLeaves) {
    EXPECT_EQ(fieldNames(*parse(R"({"bbb":{"key":"k","secret":"s"},"settings":{},"active":false})")),
              (Names{"active", "bbb.key", "bbb.secret", "settings"}));
}

}  // namespace
}  // namespace b3s::core::api
