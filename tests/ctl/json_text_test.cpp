#include "json_text.hpp"
#include "ctl_error.hpp"

#include <gtest/gtest.h>

namespace b3s::ctl {
namespace {

TEST(JsonText, PrettyKeepsEveryTokenAsWritten) {
    const std::string api =
        R"({"id":"a","load_factor":1.0,"x":1e3,"s":"{\"q\":[1, 2]}, \u00e9","e":{},"l":[],"n":null,"t":[true,false]})";
    EXPECT_EQ(prettyJson(api), R"({
  "id": "a",
  "load_factor": 1.0,
  "x": 1e3,
  "s": "{\"q\":[1, 2]}, \u00e9",
  "e": {},
  "l": [],
  "n": null,
  "t": [
    true,
    false
  ]
}
)");
    EXPECT_EQ(compactJson(prettyJson(api)), api);
    EXPECT_EQ(prettyJson("[ ]"), "[]\n");
    EXPECT_EQ(prettyJson("{\"a\":[1]}", 3), "{\n   \"a\": [\n      1\n   ]\n}\n");
}

TEST(JsonText, UnbalancedInputIsPrintedAsIs) {
    EXPECT_EQ(prettyJson("{\"a\":"), "{\"a\":\n");
}

TEST(JsonText, ObjectArgumentsMustBeObjects) {
    const auto object = parseJsonObjectArgument(R"({"tags":["a"],"x":null})", "-j");
    EXPECT_EQ(toJson(object), R"({"tags":["a"],"x":null})");
    EXPECT_THROW(parseJsonObjectArgument("[1]", "-j"), UsageError);
    EXPECT_THROW(parseJsonObjectArgument("{tags:1}", "-j"), UsageError);
}

TEST(JsonText, MembersWithFallbacks) {
    const auto object = asObject(parseJson(R"({"s":"x","n":3,"b":true,"z":null,"o":{"k":"v"}})", "test"));
    ASSERT_TRUE(object);
    EXPECT_EQ(stringMember(object, "s"), "x");
    EXPECT_EQ(stringMember(object, "z", "-"), "-");
    EXPECT_EQ(stringMember(object, "n", "-"), "-");
    EXPECT_EQ(numberMember(object, "n"), 3);
    EXPECT_TRUE(boolMember(object, "b"));
    EXPECT_EQ(stringMember(objectMember(object, "o"), "k"), "v");
    EXPECT_EQ(objectMember(object, "z"), nullptr);
    EXPECT_THROW(parseJson("<html>", "the answer"), CtlError);
}

}  // namespace
}  // namespace b3s::ctl
