// CandidateSet, the placer's candidates kept from one decision to the next: after every kind
// of change to the view (a placement, an end, a poll's new backend row, a backend added or
// removed, attendance, time passing, a charge by the caller) it must show exactly what a
// fresh placementCandidates() shows.

#include "cluster/attendance.hpp"
#include "cluster/cluster_state.hpp"
#include "cluster/placement_candidates.hpp"
#include "manual_core_clock.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace b3s::test {
namespace {

using core::cluster::Attendance;
using core::cluster::CandidateSet;
using core::cluster::ClusterState;
using core::cluster::kRecentPlacementWindowUs;
using core::cluster::placementCandidates;

std::string uuid(int kind, int i) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08d-0000-4000-8000-%012d", kind, i);
    return buf;
}

class CandidateSetTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = TestDatabase::create(Engine::Sqlite);
        store_ = store::openStore(optionsFor(db_->url()), clock_);
        state_ = std::make_unique<ClusterState>(*store_);  // filled with put(): the store stays empty
        store::Frontend f;
        f.id = uuid(1, 0);
        f.key = "tenant";
        f.secret = "secret";
        f.version = 1;
        state_->put(f);
        // 100 backends: enough to fill most copy-on-write groups of the meeting index.
        for (int b = 0; b < 100; ++b) putBackend(b, 1, "ready");
        for (int m = 0; m < 300; ++m) putMeeting(m, m % 100, now() - 1000 + m);
    }

    std::int64_t now() const { return clock_.nowMicros(); }
    void putBackend(int b, std::int64_t version, const std::string& node_state) {
        store::Backend row;
        row.id = uuid(2, b);
        row.host = "https://bbb" + std::to_string(1000 + b) + ".example/bigbluebutton/api/";
        row.secret = "secret";
        row.admin_state = store::AdminState::Ready;
        row.node_state = node_state;
        row.tags = {"t" + std::to_string(b % 3)};
        row.version = version;
        ASSERT_TRUE(state_->put(row));
    }
    void putMeeting(int m, int b, std::int64_t created_at) {
        store::Meeting row;
        row.id = "meeting-" + std::to_string(m);
        row.frontend_id = uuid(1, 0);
        row.backend_id = uuid(2, b);
        row.size_hint = m % 7;
        row.created_at = created_at;
        row.updated_at = created_at;
        row.version = 1;
        ASSERT_TRUE(state_->put(row));
    }

    // Refreshes and compares with a fresh build; returns whether they agree.
    void expectFresh(bool attendance_changed, const char* what) {
        SCOPED_TRACE(what);
        const auto snapshot = state_->snapshot();
        (void)set_.refresh(snapshot, attendance_, attendance_changed, now());
        const auto fresh = placementCandidates(*snapshot, attendance_, now());
        const auto& kept = set_.candidates();
        ASSERT_EQ(kept.size(), fresh.size());
        for (std::size_t i = 0; i < fresh.size(); ++i) {
            SCOPED_TRACE(fresh[i].host);
            EXPECT_EQ(kept[i].id, fresh[i].id);
            EXPECT_EQ(kept[i].host, fresh[i].host);
            EXPECT_EQ(kept[i].tags, fresh[i].tags);
            EXPECT_EQ(kept[i].load_factor, fresh[i].load_factor);
            EXPECT_EQ(kept[i].meetings, fresh[i].meetings);
            EXPECT_EQ(kept[i].attendees, fresh[i].attendees);
            EXPECT_EQ(kept[i].enabled, fresh[i].enabled);
            EXPECT_EQ(kept[i].healthy, fresh[i].healthy);
            ASSERT_EQ(kept[i].recent_placements.size(), fresh[i].recent_placements.size());
            for (std::size_t r = 0; r < fresh[i].recent_placements.size(); ++r) {
                EXPECT_EQ(kept[i].recent_placements[r].at_us, fresh[i].recent_placements[r].at_us);
                EXPECT_EQ(kept[i].recent_placements[r].size_hint, fresh[i].recent_placements[r].size_hint);
            }
            EXPECT_EQ(set_.find(fresh[i].id), i);
        }
    }

    ManualCoreClock clock_;
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<ClusterState> state_;
    Attendance attendance_;
    CandidateSet set_;
};

TEST_F(CandidateSetTest, AgreesWithAFreshBuildAfterEveryKindOfChange) {
    expectFresh(true, "first refresh");
    expectFresh(false, "nothing changed");
    putMeeting(1000, 17, now());
    expectFresh(false, "a placement");
    ASSERT_TRUE(state_->removeMeeting("meeting-5"));
    expectFresh(false, "an end");
    putMeeting(1001, 3, now());
    putMeeting(1002, 64, now());
    ASSERT_TRUE(state_->removeMeeting("meeting-40"));
    expectFresh(false, "several changes between two decisions");
    putBackend(42, 2, "unstable");
    expectFresh(false, "a poll changed a backend row");
    putBackend(100, 1, "ready");
    putMeeting(1003, 100, now());
    expectFresh(false, "a backend came (the layout shifts)");
    ASSERT_TRUE(state_->removeBackend(uuid(2, 7)));
    expectFresh(false, "a backend went");
    attendance_.measured(uuid(2, 9), now(), {{"meeting-9", 12}});
    attendance_.joined(uuid(2, 9), "meeting-9", now() + 1);
    expectFresh(true, "attendance changed");
}

TEST_F(CandidateSetTest, PlacementsAgeOutOfTheRecentWindow) {
    expectFresh(true, "all recent");
    clock_.advanceMicros(kRecentPlacementWindowUs - 500);
    expectFresh(false, "every placement aged out");
    putMeeting(2000, 11, now());
    clock_.advanceMicros(1000);
    expectFresh(false, "all but the new one aged out");
}

TEST_F(CandidateSetTest, AnEntryTheCallerChangedIsRebuilt) {
    expectFresh(true, "first refresh");
    auto& c = set_.candidates()[4];
    c.meetings += 10;  // a provisional charge, as the placer makes
    c.recent_placements.push_back({now(), 30});
    set_.markChanged(4);
    expectFresh(false, "charge undone by the refresh");
}

}  // namespace
}  // namespace b3s::test
