// Notification payloads (written by the triggers of schema version 2) into Changes.

#include "store/change_feed.hpp"

#include <gtest/gtest.h>

namespace b3s::core::store {
namespace {

TEST(ChangeNotification, TriggerPayloadsBecomeChanges) {
    EXPECT_EQ(parseChangeNotification("frontends insert 6f1c"),
              (Change{Change::Table::Frontends, Change::Op::Upsert, "6f1c"}));
    EXPECT_EQ(parseChangeNotification("backends update b-1"),
              (Change{Change::Table::Backends, Change::Op::Upsert, "b-1"}));
    EXPECT_EQ(parseChangeNotification("meetings delete m"), (Change{Change::Table::Meetings, Change::Op::Delete, "m"}));
}

TEST(ChangeNotification, MeetingIdsKeepTheirBlanks) {
    const auto c = parseChangeNotification("meetings insert  my  room ");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->id, " my  room ");
}

TEST(ChangeNotification, ResyncPayloadAsksForEverything) {
    const auto c = parseChangeNotification("meetings resync");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->op, Change::Op::ResyncAll);
    EXPECT_EQ(describe(*c), "resync all");
}

TEST(ChangeNotification, AnythingElseIsRefused) {
    for (const auto* bad : {"", "frontends", "frontends insert", "frontends insert ", "recordings insert x",
                            "frontends upsert x", "FRONTENDS insert x", "frontends resync x"})
        EXPECT_FALSE(parseChangeNotification(bad)) << bad;
}

TEST(ChangeNotification, DescribedForLogs) {
    EXPECT_EQ(describe(Change{Change::Table::Backends, Change::Op::Delete, "b-1"}), "backends delete b-1");
}

}  // namespace
}  // namespace b3s::core::store
