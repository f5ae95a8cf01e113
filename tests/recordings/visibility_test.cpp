#include "recordings/visibility.hpp"

#include "recordings/recording_metadata.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace b3s::core::recordings {
namespace {

struct Row {
    Visibility visibility;
    const char* name;
    const char* state;
    bool published;
    const char* listed;
    const char* protect;
};

constexpr Row kTable[] = {
    {Visibility::Unpublished, "unpublished", "unpublished", false, "false", "false"},
    {Visibility::Published, "published", "published", true, "false", "false"},
    {Visibility::Protected, "protected", "published", true, "false", "true"},
    {Visibility::Public, "public", "published", true, "true", "false"},
    {Visibility::PublicProtected, "public_protected", "published", true, "true", "true"},
};

TEST(VisibilityTest, NamesBothWays) {
    for (const auto& row : kTable) {
        EXPECT_EQ(visibilityName(row.visibility), row.name);
        EXPECT_EQ(parseVisibility(row.name), row.visibility);
    }
    for (const char* bad : {"", "Published", "PUBLIC", "public-protected", " published", "private"})
        EXPECT_FALSE(parseVisibility(bad)) << bad;
}

TEST(VisibilityTest, ApplyFollowsTheTableAndVisibilityOfReadsItBack) {
    for (const auto& from : kTable) {
        for (const auto& row : kTable) {
            store::Recording rec;
            rec.metadata = {{"a", "1"}, {"zz", "2"}};
            apply(rec, from.visibility);
            apply(rec, row.visibility);
            EXPECT_EQ(rec.state, row.state) << row.name;
            EXPECT_EQ(rec.published, row.published) << row.name;
            EXPECT_EQ(*findMetadata(rec.metadata, "gl-listed"), row.listed) << row.name;
            EXPECT_EQ(*findMetadata(rec.metadata, "protect"), row.protect) << row.name;
            EXPECT_EQ(rec.metadata.size(), 4u);
            EXPECT_TRUE(std::is_sorted(rec.metadata.begin(), rec.metadata.end()));
            EXPECT_EQ(visibilityOf(rec), row.visibility) << row.name;
        }
    }
}

TEST(VisibilityTest, ApplyReportsChanges) {
    store::Recording rec;
    EXPECT_TRUE(apply(rec, Visibility::Published));  // adds the two metas
    EXPECT_FALSE(apply(rec, Visibility::Published));
    EXPECT_TRUE(apply(rec, Visibility::Protected));
}

TEST(VisibilityTest, UnknownCombinationsMapToTheClosest) {
    store::Recording rec;  // published, no metas
    EXPECT_EQ(visibilityOf(rec), Visibility::Published);
    rec.metadata = {{"gl-listed", "TRUE"}, {"protect", "yes"}};
    EXPECT_EQ(visibilityOf(rec), Visibility::Published);
    rec.metadata = {{"protect", "true"}};
    EXPECT_EQ(visibilityOf(rec), Visibility::Protected);
    rec.state = "processed";
    EXPECT_EQ(visibilityOf(rec), Visibility::Unpublished);
    rec.state = "published";
    rec.published = false;
    EXPECT_EQ(visibilityOf(rec), Visibility::Unpublished);
    rec.published = true;
    rec.state = "unpublished";
    rec.metadata = {{"gl-listed", "true"}};
    EXPECT_EQ(visibilityOf(rec), Visibility::Unpublished);
}

}  // namespace
}  // namespace b3s::core::recordings
