#include "bbb/param_merge.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::core::bbb {
namespace {

ParamList params(std::vector<Param> entries) {
    return ParamList::fromEntries(std::move(entries));
}

// b3scale's TestUpdateCreateParams (gateway spec §3.6, first example).
TEST(ParamMergeTest, OverridesWinDefaultsFillAndDisabledFeaturesMerge) {
    ParamList request = params(
        {{"userCameraCap", "2"}, {"logo", "request-logo"}, {"disabledFeatures", "captions,breakoutRooms,sharedNotes"}});
    const ParamList defaults =
        params({{"allowModsToEjectCameras", "true"}, {"disabledFeatures", "captions,polls,chat"}});
    const ParamList overrides = params({{"logo", "override-logo"}});
    applyParamSettings(request, defaults, overrides);
    EXPECT_EQ(request.get("userCameraCap"), "2");
    EXPECT_EQ(request.get("logo"), "override-logo");
    EXPECT_EQ(request.get("allowModsToEjectCameras"), "true");
    EXPECT_EQ(request.get("disabledFeatures"), "captions,breakoutRooms,sharedNotes,polls,chat");
    EXPECT_EQ(request.size(), 4u);
}

// b3scale's TestUpdateCreateParamsClearFeatures (gateway spec §3.6, second example).
TEST(ParamMergeTest, AnEmptyOverrideClearsTheRequestListBeforeTheDefaultsAreAdded) {
    ParamList request = params(
        {{"userCameraCap", "2"}, {"logo", "request-logo"}, {"disabledFeatures", "captions,breakoutRooms,sharedNotes"}});
    applyParamSettings(request, params({{"disabledFeatures", "captions,polls,chat"}}),
                       params({{"disabledFeatures", ""}}));
    EXPECT_EQ(request.get("disabledFeatures"), "captions,polls,chat");
    EXPECT_EQ(request.get("logo"), "request-logo");
}

TEST(ParamMergeTest, TableOfRules) {
    struct Case {
        std::string_view name;
        std::vector<Param> request;
        std::vector<Param> defaults;
        std::vector<Param> overrides;
        std::vector<Param> expected;
    };
    const std::vector<Case> cases = {
        {"nothing configured", {{"a", "1"}}, {}, {}, {{"a", "1"}}},
        {"default only where absent", {{"a", "1"}}, {{"a", "9"}, {"b", "2"}}, {}, {{"a", "1"}, {"b", "2"}}},
        {"default does not replace an empty value", {{"a", ""}}, {{"a", "9"}}, {}, {{"a", ""}}},
        {"override replaces in place", {{"a", "1"}, {"b", "2"}}, {}, {{"a", "9"}}, {{"a", "9"}, {"b", "2"}}},
        {"empty override sets empty, does not remove", {{"a", "1"}}, {}, {{"a", ""}}, {{"a", ""}}},
        {"override beats default", {}, {{"a", "d"}}, {{"a", "o"}}, {{"a", "o"}}},
        {"disabledFeatures only in defaults",
         {},
         {{"disabledFeatures", "chat,,polls,chat"}},
         {},
         {{"disabledFeatures", "chat,polls"}}},
        {"disabledFeatures empty default still sets the param",
         {},
         {{"disabledFeatures", ""}},
         {},
         {{"disabledFeatures", ""}}},
        {"disabledFeatures only in the request is untouched",
         {{"disabledFeatures", "a,,a"}},
         {},
         {},
         {{"disabledFeatures", "a,,a"}}},
        {"disabledFeatures override without default is plain",
         {{"disabledFeatures", "a"}},
         {},
         {{"disabledFeatures", "b,b"}},
         {{"disabledFeatures", "b,b"}}},
        {"disabledFeatures override plus default merge",
         {{"disabledFeatures", "a"}},
         {{"disabledFeatures", "c,b"}},
         {{"disabledFeatures", "b"}},
         {{"disabledFeatures", "b,c"}}},
        {"request duplicates are removed too",
         {{"disabledFeatures", "x,y,x,"}},
         {{"disabledFeatures", "y,z"}},
         {},
         {{"disabledFeatures", "x,y,z"}}},
        {"names are case-sensitive", {{"Logo", "1"}}, {{"logo", "2"}}, {}, {{"Logo", "1"}, {"logo", "2"}}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        ParamList request = params(c.request);
        applyParamSettings(request, params(c.defaults), params(c.overrides));
        EXPECT_EQ(request.entries(), c.expected);
    }
}

TEST(ParamMergeTest, MergeDisabledFeatures) {
    EXPECT_EQ(mergeDisabledFeatures("captions,breakoutRooms,sharedNotes", "captions,polls,chat"),
              "captions,breakoutRooms,sharedNotes,polls,chat");
    EXPECT_EQ(mergeDisabledFeatures("", "captions,polls,chat"), "captions,polls,chat");
    EXPECT_EQ(mergeDisabledFeatures("", ""), "");
    EXPECT_EQ(mergeDisabledFeatures(",,", ","), "");
    EXPECT_EQ(mergeDisabledFeatures("a", "A"), "a,A");
}

}  // namespace
}  // namespace b3s::core::bbb
