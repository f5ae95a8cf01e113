// The placer between the balancer plugin and the store: the balancer's snapshot (admin
// state, health, meetings, recent placements with size hints), decisions charged at once so
// concurrent creates see each other, excluded backends, undo, and the store's first-create-
// wins answer. The balancer here is a stub that records what it was shown.

#include "cluster/cluster_state.hpp"

#include <b3s/support/balancer_rules.hpp>
#include "cluster/meeting_placer.hpp"
#include "cluster/placement_candidates.hpp"
#include "manual_core_clock.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

namespace b3s::test {
namespace {

using core::cluster::ClusterState;
using core::cluster::MeetingPlacer;
using Outcome = MeetingPlacer::Result::Outcome;

// Picks the eligible candidate with the fewest meetings (first on ties) and remembers the
// snapshot it saw.
class RecordingBalancer final : public plugin::BalancerStrategy {
public:
    plugin::Placement choose(const plugin::PlacementRequest& request,
                             std::span<const plugin::BackendCandidate> candidates) override {
        std::lock_guard lock(mutex_);
        seen_.assign(candidates.begin(), candidates.end());
        last_request_ = request;
        std::optional<std::size_t> best;
        for (const auto i : support::eligibleCandidates(request, candidates))
            if (!best || candidates[i].meetings < candidates[*best].meetings) best = i;
        if (!best) return {std::nullopt, support::noPlacementReason(candidates, request)};
        return {best, "fewest meetings"};
    }
    double load(const plugin::BackendCandidate& backend, std::int64_t) const override { return backend.meetings; }
    std::vector<plugin::BackendCandidate> seen() {
        std::lock_guard lock(mutex_);
        return seen_;
    }
    plugin::PlacementRequest lastRequest() {
        std::lock_guard lock(mutex_);
        return last_request_;
    }

private:
    std::mutex mutex_;
    std::vector<plugin::BackendCandidate> seen_;
    plugin::PlacementRequest last_request_;
};

class MeetingPlacerTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = TestDatabase::create(Engine::Sqlite);
        store_ = store::openStore(optionsFor(db_->url()), clock_);
        store_->migrate();
        frontend_ = addFrontend("tenant");
        for (const auto* host : {"a.example", "b.example", "c.example"}) backends_.push_back(addBackend(host));
        state_ = std::make_unique<ClusterState>(*store_);
        state_->reload();
        placer_ = std::make_unique<MeetingPlacer>(*state_, *store_, balancer_, attendance_, clock_);
    }
    store::Frontend addFrontend(const std::string& key) { return addTestFrontend(*store_, key); }
    store::Backend addBackend(const std::string& host, store::AdminState state = store::AdminState::Ready) {
        return addTestBackend(*store_, host, state);
    }
    MeetingPlacer::Request request(const std::string& id) {
        MeetingPlacer::Request r;
        r.frontend_id = frontend_.id;
        r.frontend_key = frontend_.key;
        r.meeting_id = id;
        return r;
    }

    ManualCoreClock clock_;
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<store::Store> store_;
    store::Frontend frontend_;
    std::vector<store::Backend> backends_;
    std::unique_ptr<ClusterState> state_;
    RecordingBalancer balancer_;
    core::cluster::Attendance attendance_;
    std::unique_ptr<MeetingPlacer> placer_;
};

TEST_F(MeetingPlacerTest, PlacesRecordsAndShowsTheViewTheNewMeeting) {
    auto r = request("m1");
    r.size_hint = 40;
    r.create_params_json = R"({"name":"x"})";
    const auto placed = placer_->place(r);
    ASSERT_EQ(placed.outcome, Outcome::Placed) << placed.reason;
    ASSERT_TRUE(placed.backend);
    EXPECT_EQ(placed.meeting->backend_id, placed.backend->id);
    EXPECT_FALSE(placed.meeting->internal_id) << "not acknowledged by the backend yet";
    const auto row = store_->findMeeting(frontend_.id, "m1");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->size_hint, 40);
    EXPECT_NE(row->create_params_json.find("name"), std::string::npos);
    EXPECT_TRUE(state_->meeting(frontend_.id, "m1"));
}

TEST_F(MeetingPlacerTest, EveryDecisionIsChargedToTheNextOne) {
    std::set<std::string> used;
    for (int i = 0; i < 3; ++i) used.insert(*placer_->place(request("m" + std::to_string(i))).meeting->backend_id);
    EXPECT_EQ(used.size(), 3u) << "the stub picks the fewest meetings; each placement counted at once";
    // The balancer sees the placements with their time and size hint.
    clock_.advanceSeconds(5);
    auto hinted = request("hinted");
    hinted.size_hint = 25;
    placer_->place(hinted);
    placer_->place(request("after"));
    int recent = 0;
    bool hint_seen = false;
    for (const auto& c : balancer_.seen()) {
        recent += static_cast<int>(c.recent_placements.size());
        for (const auto& p : c.recent_placements) hint_seen = hint_seen || p.size_hint == 25;
    }
    EXPECT_EQ(recent, 4);
    EXPECT_TRUE(hint_seen);
    // An hour later they are no longer recent (still counted as meetings).
    clock_.advanceSeconds(3601);
    placer_->place(request("later"));
    int meetings = 0;
    for (const auto& c : balancer_.seen()) {
        EXPECT_TRUE(c.recent_placements.empty());
        meetings += c.meetings;
    }
    EXPECT_EQ(meetings, 5);
}

TEST_F(MeetingPlacerTest, BalancerSeesJoinsSinceTheLastPollAtOnce) {
    attendance_.measured(backends_[0].id, clock_.nowMicros(), {{"m", 10}});
    placer_->place(request("first"));
    auto attendees_of = [&](const std::string& id) {
        for (const auto& c : balancer_.seen())
            if (c.id == id) return c.attendees;
        return -1;
    };
    EXPECT_EQ(attendees_of(backends_[0].id), 10);
    // Two joins redirected there: the next decision counts them, with no poll in between.
    clock_.advanceMicros(1);
    attendance_.joined(backends_[0].id, "m", clock_.nowMicros());
    attendance_.joined(backends_[0].id, "m", clock_.nowMicros());
    placer_->place(request("second"));
    EXPECT_EQ(attendees_of(backends_[0].id), 12);
    // The next poll's answer replaces them.
    clock_.advanceMicros(1);
    attendance_.measured(backends_[0].id, clock_.nowMicros(), {{"m", 11}});
    placer_->place(request("third"));
    EXPECT_EQ(attendees_of(backends_[0].id), 11);
}

TEST_F(MeetingPlacerTest, ConcurrentDecisionsSpreadEvenBeforeTheStoreAnswers) {
    constexpr int kThreads = 12;
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&, i] { placer_->place(request("c" + std::to_string(i))); });
    for (auto& t : threads) t.join();
    std::map<std::string, int> per_backend;
    for (const auto& m : store_->listMeetings(frontend_.id)) ++per_backend[*m.backend_id];
    ASSERT_EQ(per_backend.size(), 3u);
    for (const auto& [id, n] : per_backend) EXPECT_EQ(n, kThreads / 3) << id;
}

TEST_F(MeetingPlacerTest, AdminStateHealthAndExclusionsDecideWhoIsEligible) {
    auto b = *store_->findBackend(backends_[0].id);
    b.admin_state = store::AdminState::Stopped;
    state_->put(*store_->updateBackend(b));
    store::PollRecord unstable;
    unstable.node_state = "unstable";
    unstable.last_error = "unreachable";
    state_->put(*store_->recordObservation(backends_[1].id, unstable));
    const auto placed = placer_->place(request("only-c"));
    ASSERT_EQ(placed.outcome, Outcome::Placed);
    EXPECT_EQ(placed.backend->id, backends_[2].id);
    for (const auto& c : balancer_.seen()) {
        if (c.id == backends_[0].id) {
            EXPECT_FALSE(c.enabled);
        }
        if (c.id == backends_[1].id) {
            EXPECT_FALSE(c.healthy);
        }
    }
    auto excluded = request("nowhere");
    excluded.excluded_backends = {backends_[2].id};
    const auto none = placer_->place(excluded);
    EXPECT_EQ(none.outcome, Outcome::NoBackend);
    EXPECT_FALSE(none.reason.empty());
    EXPECT_FALSE(store_->findMeeting(frontend_.id, "nowhere"));
}

TEST_F(MeetingPlacerTest, RequiredAndServerTagsReachTheBalancer) {
    auto r = request("tagged");
    r.required_tags = {"gpu"};
    r.server_tags = {"sip", "none"};
    r.server_tags_required = true;
    r.size_hint = 7;
    EXPECT_EQ(placer_->place(r).outcome, Outcome::NoBackend);
    const auto seen = balancer_.lastRequest();
    EXPECT_EQ(seen.required_tags, r.required_tags);
    EXPECT_EQ(seen.server_tags, r.server_tags);
    EXPECT_TRUE(seen.server_tags_required);
    EXPECT_EQ(seen.size_hint, 7);
    EXPECT_EQ(seen.meeting_id, "tagged");
    EXPECT_EQ(seen.now_us, clock_.nowMicros());
}

TEST_F(MeetingPlacerTest, AMeetingPlacedFirstElsewhereIsTheAnswer) {
    store::Meeting m;
    m.id = "taken";
    m.frontend_id = frontend_.id;
    m.backend_id = backends_[2].id;
    m.internal_id = "int-taken";
    store_->insertMeeting(m);  // another instance was faster; this view has not seen it
    const auto placed = placer_->place(request("taken"));
    EXPECT_EQ(placed.outcome, Outcome::PlacedElsewhere);
    EXPECT_EQ(placed.backend->id, backends_[2].id);
    EXPECT_EQ(placed.meeting->internal_id, "int-taken");
}

TEST_F(MeetingPlacerTest, AnIdOfAnotherFrontendIsAConflict) {
    const auto other = addFrontend("other");
    state_->put(*store_->findFrontend(other.id));
    store::Meeting m;
    m.id = "theirs";
    m.frontend_id = other.id;
    store_->insertMeeting(m);
    EXPECT_EQ(placer_->place(request("theirs")).outcome, Outcome::Conflict);
}

TEST_F(MeetingPlacerTest, MovingAMeetingWhoseBackendWasDeleted) {
    placer_->place(request("orphan"));
    const auto on = *store_->findMeeting(frontend_.id, "orphan")->backend_id;
    ASSERT_TRUE(store_->deleteBackend(on));
    state_->removeBackend(on);
    auto r = request("orphan");
    r.move_from = std::optional<std::string>{};
    const auto moved = placer_->place(r);
    ASSERT_EQ(moved.outcome, Outcome::Placed) << moved.reason;
    EXPECT_NE(moved.backend->id, on);
    EXPECT_EQ(store_->findMeeting(frontend_.id, "orphan")->backend_id, moved.backend->id);
}

TEST(PlacementCandidatesTest, NodeStatesThatAnswerAndAdminStatesThatTakeMeetings) {
    store::Backend b;
    for (const auto* state : {"init", "ready", "healthy", "unstable"}) {
        b.node_state = state;
        EXPECT_TRUE(core::cluster::answersCalls(b)) << state;
    }
    for (const auto* state : {"offline", "error"}) {
        b.node_state = state;
        EXPECT_FALSE(core::cluster::answersCalls(b)) << state;
    }
    for (auto s : {store::AdminState::Init, store::AdminState::Stopped, store::AdminState::Decommissioned}) {
        b.admin_state = s;
        EXPECT_FALSE(core::cluster::takesNewMeetings(b));
    }
    b.admin_state = store::AdminState::Ready;
    EXPECT_TRUE(core::cluster::takesNewMeetings(b));
    // New meetings need a backend that answered its last polls (or was never polled yet:
    // it needs no agent); an unstable one keeps its meetings but gets no new ones.
    for (const auto* state : {"init", "ready"}) {
        b.node_state = state;
        EXPECT_TRUE(core::cluster::healthyForNewMeetings(b)) << state;
    }
    for (const auto* state : {"unstable", "offline", "error"}) {
        b.node_state = state;
        EXPECT_FALSE(core::cluster::healthyForNewMeetings(b)) << state;
    }
}

TEST(PlacementCandidatesTest, AMeetingIsLostWithItsBackend) {
    store::Backend b;
    b.id = "b";
    b.node_state = "unstable";
    store::Meeting m;
    m.backend_id = "b";
    EXPECT_FALSE(core::cluster::isLost(m, &b)) << "an unstable backend still serves its meetings";
    b.node_state = "offline";
    EXPECT_TRUE(core::cluster::isLost(m, &b));
    b.node_state = "ready";
    m.lost_at = 1;
    EXPECT_TRUE(core::cluster::isLost(m, &b)) << "marked lost when its backend went offline";
    m.lost_at.reset();
    EXPECT_TRUE(core::cluster::isLost(m, nullptr)) << "its backend was deleted";
    m.backend_id.reset();
    EXPECT_TRUE(core::cluster::isLost(m, &b));
}

}  // namespace
}  // namespace b3s::test
