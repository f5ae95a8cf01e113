#include "bbb/param_list.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::core::bbb {
namespace {

TEST(ParamListTest, FromEntriesKeepsFirstOccurrenceInPlace) {
    for (std::size_t copies : {1u, 3u, 40u}) {  // both the linear and the sorting path
        SCOPED_TRACE(copies);
        std::vector<Param> entries;
        for (std::size_t i = 0; i < copies; ++i) {
            entries.push_back({"b", "b" + std::to_string(i)});
            entries.push_back({"a", "a" + std::to_string(i)});
            entries.push_back({"u" + std::to_string(i), "x"});
        }
        std::vector<std::string> repeated;
        const ParamList list = ParamList::fromEntries(entries, &repeated);
        ASSERT_EQ(list.size(), 2 + copies);
        EXPECT_EQ(list.entries()[0], (Param{"b", "b0"}));
        EXPECT_EQ(list.entries()[1], (Param{"a", "a0"}));
        EXPECT_EQ(list.entries()[2], (Param{"u0", "x"}));
        if (copies > 1) {
            EXPECT_EQ(repeated, (std::vector<std::string>{"b", "a"}));
        } else {
            EXPECT_TRUE(repeated.empty());
        }
    }
}

TEST(ParamListTest, SetSetIfAbsentEraseFind) {
    ParamList list;
    EXPECT_TRUE(list.empty());
    list.set("a", "1");
    list.set("b", "2");
    list.set("a", "3");
    EXPECT_EQ(list.entries(), (std::vector<Param>{{"a", "3"}, {"b", "2"}}));
    EXPECT_FALSE(list.setIfAbsent("a", "9"));
    EXPECT_TRUE(list.setIfAbsent("c", ""));
    EXPECT_EQ(list.get("c"), "");
    EXPECT_EQ(list.get("missing"), std::nullopt);
    EXPECT_EQ(list.find("missing"), nullptr);
    EXPECT_TRUE(list.contains("b"));
    EXPECT_TRUE(list.erase("b"));
    EXPECT_FALSE(list.erase("b"));
    EXPECT_EQ(list.entries(), (std::vector<Param>{{"a", "3"}, {"c", ""}}));
}

}  // namespace
}  // namespace b3s::core::bbb
