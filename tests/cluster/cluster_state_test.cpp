// ClusterState on one instance: loading, lookups, tenancy, write-through, foreign-key
// closure, deletes that must stay deleted, and the failure policy. The store is SQLite on a
// temporary file, wrapped so a test can make it fail or stall at an exact call.

#include "cluster/cluster_state.hpp"
#include "forwarding_store.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace b3s::test {
namespace {

using core::cluster::ClusterState;
using store::AdminState;
using store::Backend;
using store::Change;
using store::Frontend;
using store::Meeting;
using store::StoreError;
using namespace std::chrono_literals;

class ClusterStateTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = TestDatabase::create(Engine::Sqlite);
        real_ = store::openStore(optionsFor(db_->url()), clock_);
        real_->migrate();
        store_ = std::make_unique<ForwardingStore>(*real_);
        state_ = std::make_unique<ClusterState>(*store_);
    }

    Frontend addFrontend(const std::string& key) {
        Frontend f;
        f.key = key;
        f.secret = "secret-of-" + key;
        return real_->insertFrontend(f);
    }
    Backend addBackend(const std::string& host) {
        Backend b;
        b.host = host;
        b.secret = "secret-of-" + host;
        return real_->insertBackend(b);
    }
    Meeting addMeeting(const std::string& id, const Frontend& f, const std::optional<Backend>& b = std::nullopt) {
        Meeting m;
        m.id = id;
        m.frontend_id = f.id;
        if (b) m.backend_id = b->id;
        return real_->insertMeeting(m);
    }
    static Change change(Change::Table table, Change::Op op, const std::string& id) { return Change{table, op, id}; }
    static void failWith(ForwardingStore& s, std::string_view operation) {
        s.setHook([operation](std::string_view called) {
            if (called == operation) throw StoreError(StoreError::Kind::Unavailable, "injected: database away");
        });
    }

    ManualCoreClock clock_;
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<store::Store> real_;
    std::unique_ptr<ForwardingStore> store_;
    std::unique_ptr<ClusterState> state_;
};

TEST_F(ClusterStateTest, EmptyUntilLoaded) {
    addFrontend("tenant");
    const auto snap = state_->snapshot();
    ASSERT_TRUE(snap);
    EXPECT_EQ(snap->generation(), 0u);
    EXPECT_EQ(snap->frontendCount() + snap->backendCount() + snap->meetingCount(), 0u);
    EXPECT_FALSE(state_->frontendByKey("tenant"));
    EXPECT_TRUE(state_->backends()->empty());
    EXPECT_FALSE(state_->stale());
}

// The per-backend index the balancer snapshot is built from follows every kind of change.
TEST_F(ClusterStateTest, MeetingsOnBackendFollowPlacementMovesAndDeletes) {
    const auto a = addFrontend("a");
    const auto b = addFrontend("b");
    const auto one = addBackend("one.example");
    const auto two = addBackend("two.example");
    addMeeting("a1", a, one);
    clock_.advanceMicros(1);
    addMeeting("b1", b, one);
    clock_.advanceMicros(1);
    addMeeting("a2", a, two);
    addMeeting("unplaced", a);
    state_->reload();
    auto ids = [&](const std::string& backend) {
        std::vector<std::string> out;
        for (const auto& m : state_->snapshot()->meetingsOnBackend(backend)) out.push_back(m->id);
        return out;
    };
    EXPECT_EQ(ids(one.id), (std::vector<std::string>{"a1", "b1"}));
    EXPECT_EQ(ids(two.id), (std::vector<std::string>{"a2"}));
    EXPECT_TRUE(ids("00000000-0000-4000-8000-000000000000").empty());

    // Moved (write-through of the store's answer), then deleted, then its frontend deleted.
    clock_.advanceMicros(1);
    auto moved = real_->moveMeeting(a.id, "a1", one.id, two.id);
    ASSERT_TRUE(moved);
    EXPECT_TRUE(state_->put(*moved));
    EXPECT_EQ(ids(one.id), (std::vector<std::string>{"b1"}));
    EXPECT_EQ(ids(two.id), (std::vector<std::string>{"a1", "a2"}));
    EXPECT_TRUE(state_->removeMeeting("a2"));
    EXPECT_EQ(ids(two.id), (std::vector<std::string>{"a1"}));
    EXPECT_TRUE(state_->removeFrontend(a.id));
    EXPECT_TRUE(ids(two.id).empty());
    EXPECT_EQ(ids(one.id), (std::vector<std::string>{"b1"}));
    // A deleted backend leaves its meetings unplaced.
    EXPECT_TRUE(state_->removeBackend(one.id));
    EXPECT_TRUE(ids(one.id).empty());
    const auto b1 = state_->meeting(b.id, "b1");
    ASSERT_TRUE(b1);
    EXPECT_FALSE(b1->backend_id);
}

TEST_F(ClusterStateTest, ReloadLoadsEverythingAndKeepsTenantsApart) {
    const auto a = addFrontend("tenant-a");
    const auto b = addFrontend("tenant-b");
    const auto zeta = addBackend("zeta.example");
    const auto alpha = addBackend("alpha.example");
    addMeeting("room-2", a, zeta);
    addMeeting("room-1", a, alpha);
    clock_.advanceMicros(1);
    addMeeting("room-0", a);
    addMeeting("of-b", b, zeta);

    state_->reload();
    const auto snap = state_->snapshot();
    EXPECT_EQ(snap->generation(), 1u);
    EXPECT_EQ(snap->frontendCount(), 2u);
    EXPECT_EQ(snap->backendCount(), 2u);
    EXPECT_EQ(snap->meetingCount(), 4u);
    ASSERT_TRUE(snap->frontendByKey("tenant-a"));
    EXPECT_EQ(snap->frontendByKey("tenant-a")->id, a.id);
    EXPECT_EQ(snap->frontend(b.id)->key, "tenant-b");
    EXPECT_EQ(snap->backend(zeta.id)->host, "zeta.example");
    ASSERT_EQ(snap->backends().size(), 2u);
    EXPECT_EQ(snap->backends()[0]->host, "alpha.example");  // ordered by host

    // Tenancy: another frontend's meeting is simply absent.
    ASSERT_TRUE(snap->meeting(a.id, "room-1"));
    EXPECT_EQ(snap->meeting(a.id, "room-1")->backend_id, alpha.id);
    EXPECT_FALSE(snap->meeting(b.id, "room-1"));
    EXPECT_FALSE(snap->meeting(a.id, "of-b"));
    EXPECT_FALSE(snap->meeting("not-a-frontend", "room-1"));
    std::vector<std::string> ids;
    for (const auto& m : snap->meetingsOfFrontend(a.id)) ids.push_back(m->id);
    EXPECT_EQ(ids, (std::vector<std::string>{"room-1", "room-2", "room-0"}));  // created_at, then id
    EXPECT_EQ(snap->meetingsOfFrontend(b.id).size(), 1u);
    EXPECT_TRUE(snap->meetingsOfFrontend("nobody").empty());

    // The store writes uuids in lowercase; any spelling finds them.
    auto upper = a.id;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(snap->frontend(upper));
    EXPECT_TRUE(snap->meeting(upper, "room-1"));
}

TEST_F(ClusterStateTest, OwnWritesAreVisibleAtOnce) {
    state_->reload();
    const auto f = addFrontend("tenant");
    const auto b = addBackend("bbb.example");
    EXPECT_TRUE(state_->put(f));
    EXPECT_TRUE(state_->put(b));
    const auto m = addMeeting("room", f, b);
    EXPECT_TRUE(state_->put(m));
    ASSERT_TRUE(state_->meeting(f.id, "room"));
    EXPECT_EQ(state_->meeting(f.id, "room")->backend_id, b.id);
    EXPECT_EQ(state_->backends()->size(), 1u);

    EXPECT_TRUE(state_->removeMeeting("room"));
    EXPECT_FALSE(state_->meeting(f.id, "room"));
    EXPECT_FALSE(state_->removeMeeting("room"));
}

TEST_F(ClusterStateTest, OlderRecordsDoNotReplaceNewerOnes) {
    state_->reload();
    auto f = addFrontend("tenant");
    auto v1 = f;
    f.settings_json = R"({"v": 2})";
    f = *real_->updateFrontend(f);
    EXPECT_TRUE(state_->put(f));
    EXPECT_FALSE(state_->put(v1)) << "version 1 replaced version 2";
    EXPECT_EQ(state_->frontend(f.id)->settings_json, f.settings_json);

    auto b = addBackend("bbb.example");
    auto b1 = b;
    b.admin_state = AdminState::Ready;
    b = *real_->updateBackend(b);
    EXPECT_TRUE(state_->put(b));
    EXPECT_FALSE(state_->put(b1));
    EXPECT_EQ(state_->backend(b.id)->admin_state, AdminState::Ready);

    Meeting m = addMeeting("room", f);
    EXPECT_TRUE(state_->put(m));
    Meeting earlier = m;
    earlier.version -= 1;
    earlier.updated_at += 10;  // clocks do not decide: another instance's may run ahead
    earlier.internal_id = "older";
    EXPECT_FALSE(state_->put(earlier));
    EXPECT_EQ(state_->meeting(f.id, "room")->internal_id, std::nullopt);
}

// A change notification makes the view re-read the row; when that read happened just before
// this instance's own next write (create acknowledged), installing it must not undo the
// write: the write's own notification follows, and until then a join would see the meeting
// as still being created.
// A poll writes its backend row and this instance puts the result; the feed then notifies
// the same row and the view reads it again. Publishing that echo would cost a snapshot and a
// new backend list per poll for nothing.
TEST_F(ClusterStateTest, TheSameBackendRowAgainPublishesNothing) {
    const auto b = addBackend("bbb.example");
    ASSERT_TRUE(state_->put(b));
    const auto generation = state_->snapshot()->generation();
    EXPECT_FALSE(state_->put(b));
    state_->refresh(change(Change::Table::Backends, Change::Op::Upsert, b.id));
    EXPECT_EQ(state_->snapshot()->generation(), generation);
}

TEST_F(ClusterStateTest, AnOlderPollResultDoesNotReplaceANewerOne) {
    const auto b = addBackend("bbb.example");
    store::PollRecord first;
    first.succeeded = true;
    first.node_state = "ready";
    first.meetings_count = 3;
    auto second = first;
    second.meetings_count = 4;
    const auto older = *real_->recordObservation(b.id, first);
    const auto newer = *real_->recordObservation(b.id, second);
    ASSERT_EQ(older.version, newer.version) << "a poll leaves the admin version alone";
    EXPECT_TRUE(state_->put(newer));
    EXPECT_FALSE(state_->put(older));
    EXPECT_EQ(state_->backend(b.id)->meetings_count, 4);
}

// Backends are listed by host; a row replaced under the same host keeps its place, a host
// that changes moves the row.
TEST_F(ClusterStateTest, BackendListStaysOrderedByHostAsRowsChange) {
    const auto c = addBackend("https://c.example");
    const auto a = addBackend("https://a.example");
    const auto b = addBackend("https://b.example");
    for (const auto& row : {c, a, b}) ASSERT_TRUE(state_->put(row));
    const auto hosts = [&] {
        std::vector<std::string> out;
        for (const auto& row : *state_->backends()) out.push_back(row->host);
        return out;
    };
    ASSERT_EQ(hosts(), (std::vector<std::string>{"https://a.example", "https://b.example", "https://c.example"}));

    store::PollRecord poll;
    poll.succeeded = true;
    poll.node_state = "ready";
    poll.attendees_count = 7;
    ASSERT_TRUE(state_->put(*real_->recordObservation(b.id, poll)));
    EXPECT_EQ(hosts(), (std::vector<std::string>{"https://a.example", "https://b.example", "https://c.example"}));
    EXPECT_EQ(state_->backends()->at(1)->attendees_count, 7);
    EXPECT_EQ(state_->backends()->at(1), state_->backend(b.id)) << "the list holds the row the view holds";

    auto moved = *real_->findBackend(a.id);
    moved.host = "https://d.example";
    ASSERT_TRUE(state_->put(*real_->updateBackend(moved)));
    EXPECT_EQ(hosts(), (std::vector<std::string>{"https://b.example", "https://c.example", "https://d.example"}));
    EXPECT_EQ(state_->backends()->at(2), state_->backend(a.id));
}

TEST_F(ClusterStateTest, ARefreshThatReadAnOlderVersionDoesNotUndoANewerWrite) {
    state_->reload();
    const auto f = addFrontend("tenant");
    const auto b = addBackend("bbb.example");
    state_->put(*real_->findFrontend(f.id));
    state_->put(*real_->findBackend(b.id));
    const Meeting placed = addMeeting("room", f, b);
    EXPECT_TRUE(state_->put(placed));
    clock_.advanceMicros(1);
    const auto created = real_->markMeetingCreated(f.id, "room", b.id, "int-1", "{}");
    ASSERT_TRUE(created);
    EXPECT_EQ(created->version, placed.version + 1);
    EXPECT_TRUE(state_->put(*created));
    // The insert's notification is handled now, but its read returned the placed row.
    store_->answerStale(placed);
    state_->refresh(change(Change::Table::Meetings, Change::Op::Upsert, "room"));
    store_->answerStale(std::nullopt);
    EXPECT_EQ(state_->meeting(f.id, "room")->internal_id, "int-1");
    // A re-created meeting (another incarnation of the id) is installed by a refresh.
    ASSERT_TRUE(real_->deleteMeeting(f.id, "room"));
    clock_.advanceMicros(1);
    addMeeting("room", f, b);
    state_->refresh(change(Change::Table::Meetings, Change::Op::Upsert, "room"));
    EXPECT_EQ(state_->meeting(f.id, "room")->internal_id, std::nullopt);
}

// A create undone and placed again: the delete of the first incarnation is delivered after
// this instance already shows the second one, which must stay.
TEST_F(ClusterStateTest, ALateDeleteOfAMeetingIdDoesNotRemoveItsNewIncarnation) {
    state_->reload();
    const auto f = addFrontend("tenant");
    state_->put(*real_->findFrontend(f.id));
    addMeeting("again", f);
    ASSERT_TRUE(real_->deleteMeeting(f.id, "again"));
    clock_.advanceMicros(5);
    const auto second = addMeeting("again", f);
    EXPECT_TRUE(state_->put(second));
    state_->refresh(change(Change::Table::Meetings, Change::Op::Delete, "again"));
    const auto held = state_->meeting(f.id, "again");
    ASSERT_TRUE(held) << "the new incarnation was removed by the old one's delete";
    EXPECT_EQ(held->created_at, second.created_at);
    // A delete that is current still removes it.
    ASSERT_TRUE(real_->deleteMeeting(f.id, "again"));
    state_->refresh(change(Change::Table::Meetings, Change::Op::Delete, "again"));
    EXPECT_FALSE(state_->meeting(f.id, "again"));
}

TEST_F(ClusterStateTest, FrontendKeyCanMove) {
    state_->reload();
    auto f = addFrontend("old-key");
    state_->put(f);
    f.key = "new-key";
    f = *real_->updateFrontend(f);
    state_->put(f);
    EXPECT_FALSE(state_->frontendByKey("old-key"));
    EXPECT_EQ(state_->frontendByKey("new-key")->id, f.id);
}

TEST_F(ClusterStateTest, SnapshotsAreClosedOverForeignKeys) {
    state_->reload();
    const auto f = addFrontend("tenant");
    const auto other = addFrontend("other");
    const auto b = addBackend("bbb.example");
    state_->put(f);
    state_->put(other);
    state_->put(b);
    state_->put(addMeeting("on-b", f, b));
    state_->put(addMeeting("unbound", f));
    state_->put(addMeeting("of-other", other, b));

    // ON DELETE SET NULL: the backend goes, its meetings stay unbound in the same snapshot.
    const auto before = state_->snapshot();
    EXPECT_TRUE(state_->removeBackend(b.id));
    const auto after = state_->snapshot();
    EXPECT_FALSE(after->backend(b.id));
    EXPECT_EQ(after->meeting(f.id, "on-b")->backend_id, std::nullopt);
    EXPECT_EQ(after->meeting(other.id, "of-other")->backend_id, std::nullopt);
    EXPECT_EQ(before->meeting(f.id, "on-b")->backend_id, b.id) << "a published snapshot changed";

    // A meeting on a backend the view does not have is kept unbound; one of a frontend
    // the view does not have is not kept at all.
    Meeting stray;
    stray.id = "stray";
    stray.frontend_id = f.id;
    stray.backend_id = "00000000-0000-4000-8000-000000000000";
    EXPECT_TRUE(state_->put(stray));
    EXPECT_EQ(state_->meeting(f.id, "stray")->backend_id, std::nullopt);
    stray.id = "orphan";
    stray.frontend_id = "00000000-0000-4000-8000-000000000001";
    EXPECT_FALSE(state_->put(stray));
    EXPECT_FALSE(state_->meeting(stray.frontend_id, "orphan"));

    // ON DELETE CASCADE: the frontend's meetings go with it.
    EXPECT_TRUE(state_->removeFrontend(f.id));
    EXPECT_FALSE(state_->frontendByKey("tenant"));
    EXPECT_TRUE(state_->meetingsOfFrontend(f.id).empty());
    EXPECT_EQ(state_->snapshot()->meetingCount(), 1u);
}

TEST_F(ClusterStateTest, RefreshReReadsTheRowFromTheStore) {
    state_->reload();
    auto f = addFrontend("tenant");
    state_->refresh(change(Change::Table::Frontends, Change::Op::Upsert, f.id));
    ASSERT_TRUE(state_->frontendByKey("tenant"));

    // A meeting whose frontend and backend this view has not seen brings them along.
    const auto g = addFrontend("second");
    const auto b = addBackend("bbb.example");
    addMeeting("room", g, b);
    state_->refresh(change(Change::Table::Meetings, Change::Op::Upsert, "room"));
    const auto snap = state_->snapshot();
    ASSERT_TRUE(snap->meeting(g.id, "room"));
    EXPECT_EQ(snap->meeting(g.id, "room")->backend_id, b.id);
    EXPECT_TRUE(snap->backend(b.id));
    EXPECT_TRUE(snap->frontendByKey("second"));

    // Gone from the store: an upsert finds nothing and drops it; a delete just drops it.
    real_->deleteMeeting(g.id, "room");
    state_->refresh(change(Change::Table::Meetings, Change::Op::Upsert, "room"));
    EXPECT_FALSE(state_->meeting(g.id, "room"));
    real_->deleteBackend(b.id);
    state_->refresh(change(Change::Table::Backends, Change::Op::Delete, b.id));
    EXPECT_FALSE(state_->backend(b.id));
    EXPECT_FALSE(state_->stale());
}

TEST_F(ClusterStateTest, LatePutDoesNotResurrectWhatTheFeedDeleted) {
    state_->reload();
    const auto f = addFrontend("tenant");
    state_->put(f);
    const auto m = addMeeting("room", f);
    state_->put(m);

    // Another instance ended the meeting; this instance's put() of it comes late.
    real_->deleteMeeting(f.id, "room");
    state_->refresh(change(Change::Table::Meetings, Change::Op::Delete, "room"));
    EXPECT_FALSE(state_->put(m));
    EXPECT_FALSE(state_->meeting(f.id, "room"));

    // The same id created again later is a new meeting and is applied.
    clock_.advanceSeconds(1);
    const auto again = addMeeting("room", f);
    EXPECT_TRUE(state_->put(again));
    EXPECT_TRUE(state_->meeting(f.id, "room"));

    // Deleted while this view did not hold it: the store decides.
    const auto late = addMeeting("never-seen", f);
    real_->deleteMeeting(f.id, "never-seen");
    state_->refresh(change(Change::Table::Meetings, Change::Op::Delete, "never-seen"));
    EXPECT_FALSE(state_->put(late));
    const auto recreated = addMeeting("never-seen", f);
    EXPECT_TRUE(state_->put(recreated));

    // Frontend and backend ids are never reused: a deleted one stays deleted.
    const auto b = addBackend("bbb.example");
    real_->deleteBackend(b.id);
    state_->refresh(change(Change::Table::Backends, Change::Op::Delete, b.id));
    EXPECT_FALSE(state_->put(b));
    EXPECT_FALSE(state_->backend(b.id));
}

TEST_F(ClusterStateTest, UnreachableStoreKeepsTheLastSnapshotAndMarksItStale) {
    auto f = addFrontend("tenant");
    state_->reload();
    const auto generation = state_->snapshot()->generation();

    f.settings_json = R"({"changed": true})";
    f = *real_->updateFrontend(f);
    failWith(*store_, "findFrontend");
    EXPECT_NO_THROW(state_->refresh(change(Change::Table::Frontends, Change::Op::Upsert, f.id)));
    EXPECT_TRUE(state_->stale());
    EXPECT_EQ(state_->snapshot()->generation(), generation);
    EXPECT_EQ(state_->frontendByKey("tenant")->settings_json, "{}") << "the last snapshot is still served";

    // While stale, any change reloads everything, so the lost one is recovered too.
    failWith(*store_, "listAllMeetings");
    const auto g = addFrontend("second");
    state_->refresh(change(Change::Table::Frontends, Change::Op::Upsert, g.id));
    EXPECT_TRUE(state_->stale());
    EXPECT_THROW(state_->reload(), StoreError);
    EXPECT_TRUE(state_->stale());

    store_->setHook(nullptr);
    state_->refresh(change(Change::Table::Frontends, Change::Op::Upsert, g.id));
    EXPECT_FALSE(state_->stale());
    EXPECT_EQ(state_->frontendByKey("tenant")->settings_json, f.settings_json);
    EXPECT_TRUE(state_->frontendByKey("second"));
}

TEST_F(ClusterStateTest, WritesDuringAReloadAreNotLost) {
    const auto f = addFrontend("tenant");
    std::promise<void> reading, go_on;
    auto go_on_future = go_on.get_future().share();
    store_->setHook([&](std::string_view operation) {
        if (operation != "listAllMeetings") return;
        reading.set_value();
        go_on_future.wait();
    });
    auto reload = std::async(std::launch::async, [&] { state_->reload(); });
    reading.get_future().wait();
    // The reload has not read frontends yet, so it will see `f`; it cannot see what exists
    // only in memory (a put() of a write it read before), as a write racing it would.
    Frontend only_in_memory;
    only_in_memory.id = "00000000-0000-4000-8000-00000000000a";
    only_in_memory.key = "in-memory";
    only_in_memory.version = 1;
    EXPECT_TRUE(state_->put(only_in_memory));
    go_on.set_value();
    reload.get();
    store_->setHook(nullptr);
    EXPECT_TRUE(state_->frontendByKey("tenant"));
    EXPECT_TRUE(state_->frontendByKey("in-memory")) << "a put() during the reload was lost";
}

TEST_F(ClusterStateTest, SnapshotsOutliveChangesAndTheState) {
    state_->reload();
    const auto f = addFrontend("tenant");
    state_->put(f);
    const auto old = state_->snapshot();
    const auto backends = state_->backends();
    const auto b = addBackend("bbb.example");
    state_->put(b);
    EXPECT_TRUE(backends->empty()) << "a list handed out changed";
    EXPECT_EQ(state_->backends()->size(), 1u);
    EXPECT_GT(state_->snapshot()->generation(), old->generation());
    state_.reset();
    EXPECT_EQ(old->frontendByKey("tenant")->id, f.id);
}

TEST_F(ClusterStateTest, AttachedSilentFeedLeavesTheViewToItsOwnWrites) {
    auto feed = real_->openChangeFeed();
    state_->attach(*feed);
    addFrontend("tenant");
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(state_->frontendByKey("tenant"));  // nothing told the view
    feed->stop();
}

}  // namespace
}  // namespace b3s::test
