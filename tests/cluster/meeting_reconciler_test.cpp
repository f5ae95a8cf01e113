// The reconciler makes the store agree with what a backend runs (cluster/meeting_reconciler.hpp):
// adoption of meetings the store lacks (only of known frontends, by the key their id
// carries), removal of meetings a backend no longer runs (never one acknowledged after the
// poll asked), lost meetings found running again, creates an instance never finished, and
// stray copies (placed and created elsewhere, or ended since they started) handed to the
// controller to end.
// The poll answers are written by hand: this is the decision logic, not the network.

#include "cluster/meeting_reconciler.hpp"
#include "bbb/meeting_id_codec.hpp"
#include "cluster/cluster_state.hpp"
#include "manual_core_clock.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

namespace b3s::test {
namespace {

using core::cluster::ClusterState;
using core::cluster::MeetingReconciler;
using core::cluster::PolledMeeting;
using core::cluster::PollResult;

constexpr store::Micros kMinute = 60'000'000;

class MeetingReconcilerTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = TestDatabase::create(Engine::Sqlite);
        store_ = store::openStore(optionsFor(db_->url()), clock_);
        store_->migrate();
        frontend_ = addFrontend("tenant");
        other_frontend_ = addFrontend("other");
        backend_ = addBackend("a.example");
        other_backend_ = addBackend("b.example");
        state_ = std::make_unique<ClusterState>(*store_);
        state_->reload();
        reconciler_ = std::make_unique<MeetingReconciler>(*state_, *store_, clock_);
    }
    store::Frontend addFrontend(const std::string& key) { return addTestFrontend(*store_, key); }
    store::Backend addBackend(const std::string& host) { return addTestBackend(*store_, host); }
    // A meeting placed by a create, acknowledged by its backend.
    store::Meeting placed(const std::string& encoded, const std::string& backend_id, bool acknowledged = true) {
        store::Meeting m;
        m.id = encoded;
        m.frontend_id = frontend_.id;
        m.backend_id = backend_id;
        auto row = store_->insertMeeting(m);
        if (acknowledged) row = *store_->markMeetingCreated(frontend_.id, encoded, backend_id, "int-" + encoded, "{}");
        state_->put(row);
        return row;
    }
    static PolledMeeting running(const std::string& id, const std::string& frontend_key = "") {
        PolledMeeting m;
        m.meeting_id = id;
        m.internal_id = "int-" + id;
        m.frontend_key = frontend_key;
        m.participants = 3;
        m.state_json = R"({"MeetingID":")" + id + R"(","ModeratorPW":"mp-)" + id + R"("})";
        m.start_time_ms = 1;  // overwritten where it matters
        m.create_params_json = R"({"name":"Adopted","meta_b3s-frontend":")" + frontend_key + R"("})";
        return m;
    }
    // A successful poll of backend_, asked now.
    PollResult poll(std::vector<PolledMeeting> meetings) {
        PollResult p;
        p.succeeded = true;
        p.asked_at_us = clock_.nowMicros();
        p.meetings = std::move(meetings);
        return p;
    }
    std::optional<store::Meeting> stored(const std::string& id) { return store_->findMeetingById(id); }

    ManualCoreClock clock_;
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<store::Store> store_;
    store::Frontend frontend_;
    store::Frontend other_frontend_;
    store::Backend backend_;
    store::Backend other_backend_;
    std::unique_ptr<ClusterState> state_;
    std::unique_ptr<MeetingReconciler> reconciler_;
};

TEST_F(MeetingReconcilerTest, AdoptsARunningMeetingOfAKnownFrontendThatTheStoreLacks) {
    // E.g. created by the Go b3scale before the take-over: same id encoding, same metadata.
    const auto id = core::bbb::encodeMeetingId("tenant", "room 1");
    EXPECT_EQ(reconciler_->reconcile(backend_, poll({running(id, "tenant")})).adopted, 0) << "seen once";
    EXPECT_FALSE(stored(id));
    const auto summary = reconciler_->reconcile(backend_, poll({running(id, "tenant")}));
    EXPECT_EQ(summary.adopted, 1);
    const auto row = stored(id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->frontend_id, frontend_.id);
    EXPECT_EQ(row->backend_id, backend_.id);
    EXPECT_EQ(row->internal_id, "int-" + id);
    EXPECT_NE(row->create_params_json.find("Adopted"), std::string::npos) << "kept for a re-creation";
    const auto view = state_->meeting(frontend_.id, id);
    ASSERT_TRUE(view) << "routable at once";
    EXPECT_EQ(view->backend_id, backend_.id);
    // Without the metadata (an older create) the id alone names the owner.
    const auto bare = core::bbb::encodeMeetingId("tenant", "room 2");
    reconciler_->reconcile(backend_, poll({running(id, "tenant"), running(bare)}));
    EXPECT_EQ(reconciler_->reconcile(backend_, poll({running(id, "tenant"), running(bare)})).adopted, 1);
    EXPECT_TRUE(stored(bare));
}

TEST_F(MeetingReconcilerTest, MeetingEndedWhileAPollWasUnderWayIsNotTakenBack) {
    const auto id = core::bbb::encodeMeetingId("tenant", "ending");
    placed(id, backend_.id);
    reconciler_->reconcile(backend_, poll({running(id, "tenant")}));
    // The poll is asked; meanwhile the meeting is ended and forgotten; then the answer comes.
    const auto in_flight = poll({running(id, "tenant")});
    ASSERT_TRUE(store_->deleteMeeting(frontend_.id, id));
    EXPECT_EQ(reconciler_->reconcile(backend_, in_flight).adopted, 0);
    EXPECT_FALSE(stored(id));
    EXPECT_EQ(reconciler_->reconcile(backend_, poll({})).adopted, 0) << "the next poll no longer lists it";
    EXPECT_FALSE(stored(id));
}

TEST_F(MeetingReconcilerTest, LeavesMeetingsOfNoKnownFrontendAlone) {
    const auto unknown_key = core::bbb::encodeMeetingId("nobody", "room");
    const auto contradicted = core::bbb::encodeMeetingId("tenant", "room");
    const auto answer = poll(
        {running("someone-uses-this-bbb-directly"), running(unknown_key, "nobody"), running(contradicted, "other")});
    reconciler_->reconcile(backend_, answer);
    EXPECT_EQ(reconciler_->reconcile(backend_, answer).adopted, 0);
    EXPECT_FALSE(stored("someone-uses-this-bbb-directly"));
    EXPECT_FALSE(stored(unknown_key));
    EXPECT_FALSE(stored(contradicted)) << "metadata naming another frontend than the id: not ours to guess";
}

TEST_F(MeetingReconcilerTest, BreakoutRoomsFollowTheirParentAndAreNotAdopted) {
    auto breakout = running(core::bbb::encodeMeetingId("tenant", "room") + "-breakout", "tenant");
    breakout.breakout = true;
    reconciler_->reconcile(backend_, poll({breakout}));
    EXPECT_EQ(reconciler_->reconcile(backend_, poll({breakout})).adopted, 0);
}

TEST_F(MeetingReconcilerTest, MeetingTheBackendNoLongerRunsIsRemoved) {
    const auto ended = core::bbb::encodeMeetingId("tenant", "ended");
    const auto still = core::bbb::encodeMeetingId("tenant", "still");
    const auto elsewhere = core::bbb::encodeMeetingId("tenant", "elsewhere");
    placed(ended, backend_.id);
    placed(still, backend_.id);
    placed(elsewhere, other_backend_.id);
    clock_.advanceMicros(kMinute);
    const auto summary = reconciler_->reconcile(backend_, poll({running(still, "tenant")}));
    EXPECT_EQ(summary.removed, 1);
    EXPECT_FALSE(stored(ended));
    EXPECT_FALSE(state_->meeting(frontend_.id, ended));
    EXPECT_TRUE(stored(still));
    EXPECT_TRUE(stored(elsewhere)) << "another backend's meetings are its own poll's business";
}

TEST_F(MeetingReconcilerTest, MeetingCreatedWhileThePollWasUnderWayIsKept) {
    auto p = poll({});
    clock_.advanceMicros(100'000);  // the create is acknowledged after the question was asked
    const auto fresh = core::bbb::encodeMeetingId("tenant", "fresh");
    placed(fresh, backend_.id);
    EXPECT_EQ(reconciler_->reconcile(backend_, p).removed, 0);
    EXPECT_TRUE(stored(fresh));
}

TEST_F(MeetingReconcilerTest, LostMeetingStaysUntilReCreatedAndIsRecoveredWhenItRunsAgain) {
    const auto a = core::bbb::encodeMeetingId("tenant", "a");
    const auto b = core::bbb::encodeMeetingId("tenant", "b");
    placed(a, backend_.id);
    placed(b, backend_.id);
    for (const auto& m : store_->markMeetingsLost(backend_.id, clock_.nowMicros())) state_->put(m);
    clock_.advanceMicros(kMinute);
    // The backend is back, still running `a` (it only lost its network for a while).
    const auto summary = reconciler_->reconcile(backend_, poll({running(a, "tenant")}));
    EXPECT_EQ(summary.recovered, 1);
    EXPECT_EQ(summary.removed, 0);
    EXPECT_FALSE(stored(a)->lost_at);
    EXPECT_FALSE(state_->meeting(frontend_.id, a)->lost_at);
    ASSERT_TRUE(stored(b)) << "not listed, but lost: its next join re-creates it";
    EXPECT_TRUE(stored(b)->lost_at);
}

TEST_F(MeetingReconcilerTest, CreateThatAnInstanceNeverFinishedIsCompletedOrDropped) {
    const auto ran = core::bbb::encodeMeetingId("tenant", "ran");
    const auto never = core::bbb::encodeMeetingId("tenant", "never");
    placed(ran, backend_.id, false);
    placed(never, backend_.id, false);
    // Within the grace period a create may still be on its way: nothing happens.
    clock_.advanceMicros(kMinute);
    auto summary = reconciler_->reconcile(backend_, poll({running(ran, "tenant")}));
    EXPECT_EQ(summary.completed + summary.removed, 0);
    EXPECT_FALSE(stored(ran)->internal_id);
    EXPECT_TRUE(stored(never));
    clock_.advanceMicros(2 * kMinute);
    summary = reconciler_->reconcile(backend_, poll({running(ran, "tenant")}));
    EXPECT_EQ(summary.completed, 1);
    EXPECT_EQ(summary.removed, 1);
    EXPECT_EQ(stored(ran)->internal_id, "int-" + ran);
    EXPECT_FALSE(stored(never));
}

TEST_F(MeetingReconcilerTest, MeetingPlacedElsewhereIsNotTakenBackAndItsCopyHereIsEnded) {
    // Re-created on b after a was lost; a comes back still running its old copy.
    const auto id = core::bbb::encodeMeetingId("tenant", "moved");
    placed(id, other_backend_.id);
    EXPECT_TRUE(reconciler_->reconcile(backend_, poll({running(id, "tenant")})).strays.empty()) << "seen once";
    const auto summary = reconciler_->reconcile(backend_, poll({running(id, "tenant")}));
    EXPECT_EQ(summary.duplicates, 1);
    EXPECT_EQ(stored(id)->backend_id, other_backend_.id);
    ASSERT_EQ(summary.strays.size(), 1u);
    EXPECT_EQ(summary.strays[0].meeting_id, id);
    EXPECT_EQ(summary.strays[0].reason, "placed_elsewhere");
    EXPECT_EQ(summary.strays[0].password, "mp-" + id) << "older BBB releases need it to end";
}

TEST_F(MeetingReconcilerTest, ACopyIsLeftRunningWhileItsReCreationElsewhereIsUnderWayOrLost) {
    const auto pending = core::bbb::encodeMeetingId("tenant", "re-creating");
    placed(pending, other_backend_.id, /*acknowledged=*/false);
    const auto lost = core::bbb::encodeMeetingId("tenant", "lost-there-too");
    placed(lost, other_backend_.id);
    store_->markMeetingsLost(other_backend_.id, clock_.nowMicros());
    reconciler_->reconcile(backend_, poll({running(pending, "tenant"), running(lost, "tenant")}));
    const auto summary = reconciler_->reconcile(backend_, poll({running(pending, "tenant"), running(lost, "tenant")}));
    EXPECT_EQ(summary.duplicates, 2);
    EXPECT_TRUE(summary.strays.empty()) << "it may be the only copy there is";
}

TEST_F(MeetingReconcilerTest, ACopyOfAMeetingEndedSinceItStartedIsEndedNotAdopted) {
    // Its frontend ended the meeting where the store had it (b); a's older copy lives on.
    const auto id = core::bbb::encodeMeetingId("tenant", "ended-elsewhere");
    auto copy = running(id, "tenant");
    copy.start_time_ms = clock_.nowMicros() / 1000;
    clock_.advanceMicros(kMinute);
    placed(id, other_backend_.id);
    ASSERT_TRUE(store_->deleteMeeting(frontend_.id, id));
    reconciler_->reconcile(backend_, poll({copy}));
    auto summary = reconciler_->reconcile(backend_, poll({copy}));
    EXPECT_EQ(summary.adopted, 0);
    EXPECT_FALSE(stored(id)) << "not routable again";
    ASSERT_EQ(summary.strays.size(), 1u);
    EXPECT_EQ(summary.strays[0].reason, "ended");

    // A copy started after that end (or whose start BBB does not say) is adopted as before.
    const auto later = core::bbb::encodeMeetingId("tenant", "ended-then-started-again");
    auto again = running(later, "tenant");
    placed(later, other_backend_.id);
    ASSERT_TRUE(store_->deleteMeeting(frontend_.id, later));
    clock_.advanceMicros(kMinute);
    again.start_time_ms = clock_.nowMicros() / 1000;
    auto unknown_start = running(core::bbb::encodeMeetingId("tenant", "ended-start-unknown"), "tenant");
    placed(unknown_start.meeting_id, other_backend_.id);
    ASSERT_TRUE(store_->deleteMeeting(frontend_.id, unknown_start.meeting_id));
    unknown_start.start_time_ms = 0;
    reconciler_->reconcile(backend_, poll({again, unknown_start}));
    summary = reconciler_->reconcile(backend_, poll({again, unknown_start}));
    EXPECT_EQ(summary.adopted, 2);
    EXPECT_TRUE(summary.strays.empty());
}

TEST_F(MeetingReconcilerTest, MeetingWhoseBackendWasDeletedIsPlacedWhereItRuns) {
    const auto id = core::bbb::encodeMeetingId("tenant", "orphan");
    auto gone = addBackend("gone.example");
    placed(id, gone.id);
    ASSERT_TRUE(store_->deleteBackend(gone.id));
    ASSERT_FALSE(stored(id)->backend_id);
    reconciler_->reconcile(backend_, poll({running(id, "tenant")}));
    EXPECT_EQ(reconciler_->reconcile(backend_, poll({running(id, "tenant")})).adopted, 1);
    EXPECT_EQ(stored(id)->backend_id, backend_.id);
    EXPECT_EQ(stored(id)->internal_id, "int-" + id);
}

}  // namespace
}  // namespace b3s::test
