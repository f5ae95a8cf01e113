// How long a callback token counts: while its incarnation of the meeting runs, and for the
// grace after b3scale saw that incarnation end; never for another incarnation of the same id
// or one b3scale has no record of.

#include "callbacks/callback_liveness.hpp"

#include <gtest/gtest.h>

namespace b3s::core::callbacks {
namespace {

constexpr store::Micros kSecond = 1'000'000;
constexpr store::Micros kGrace = 24 * 3600 * kSecond;
constexpr store::Micros kCreated = 1'700'000'000 * kSecond;

CallbackTarget token() {
    CallbackTarget t;
    t.frontend_id = "f";
    t.meeting_id = "m";
    t.meeting_since_us = kCreated;
    return t;
}

store::Meeting row(store::Micros created_at, std::string frontend = "f") {
    store::Meeting m;
    m.id = "m";
    m.frontend_id = std::move(frontend);
    m.created_at = created_at;
    return m;
}

TEST(CallbackLivenessTest, RunningIncarnationCounts) {
    EXPECT_EQ(callbackLiveness(token(), row(kCreated), std::nullopt, kCreated + kGrace * 30, kGrace), Liveness::Running)
        << "however long it runs (the token's exp is the cap)";
}

TEST(CallbackLivenessTest, EndedIncarnationCountsForTheGraceOnly) {
    const auto ended = kCreated + 3600 * kSecond;
    EXPECT_EQ(callbackLiveness(token(), std::nullopt, ended, ended + kGrace, kGrace), Liveness::InGrace);
    EXPECT_TRUE(accepted(Liveness::InGrace));
    EXPECT_EQ(callbackLiveness(token(), std::nullopt, ended, ended + kGrace + 1, kGrace), Liveness::EndedLongAgo);
    EXPECT_FALSE(accepted(Liveness::EndedLongAgo));
}

TEST(CallbackLivenessTest, AnotherIncarnationOfTheIdDoesNotKeepAnOldTokenAlive) {
    const auto recreated = row(kCreated + 7200 * kSecond);
    EXPECT_EQ(callbackLiveness(token(), recreated, std::nullopt, kCreated + 7200 * kSecond, kGrace), Liveness::Unknown);
    EXPECT_FALSE(accepted(Liveness::Unknown));
    // Its own end still counts, for its own grace, while the id runs again.
    EXPECT_EQ(callbackLiveness(token(), recreated, kCreated + 3600 * kSecond, kCreated + 7200 * kSecond, kGrace),
              Liveness::InGrace);
    EXPECT_EQ(callbackLiveness(token(), row(kCreated, "other-frontend"), std::nullopt, kCreated, kGrace),
              Liveness::Unknown);
}

TEST(CallbackLivenessTest, NoRecordNoCallback) {
    EXPECT_EQ(callbackLiveness(token(), std::nullopt, std::nullopt, kCreated, kGrace), Liveness::Unknown);
}

}  // namespace
}  // namespace b3s::core::callbacks
