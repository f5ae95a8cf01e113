#pragma once
// The in-memory view of frontends, backends and meeting placements that the BBB gateway's
// hot paths (join, index, isMeetingRunning, getMeetingInfo, end) read instead of making a
// database round trip per request. The database stays the source of truth for every write;
// this view follows it:
//  - reload() reads everything from the store (at start, and on ResyncAll);
//  - attach(feed) applies the changes other instances commit (PostgreSQL LISTEN/NOTIFY),
//    re-reading each changed row from the store on the feed's thread;
//  - put()/remove…() let this instance see its own successful writes at once, without
//    waiting for the notification of them.
//
// Readers work on immutable snapshots. snapshot() hands out the current one (a mutex held
// for a pointer copy, ~15 ns uncontended); writers build the next snapshot beside it,
// copying only the touched parts, and swap it in. A reader never waits for a writer's
// database read or build and never sees a half-applied change; several lookups on one
// ClusterSnapshot are mutually consistent, separate ClusterState::… calls may each see a
// newer snapshot.
//
// Every snapshot is closed over the database's foreign keys: every meeting's frontend is
// in the same snapshot, and its backend_id is either empty or names a backend of the same
// snapshot. Removing a frontend removes its meetings (ON DELETE CASCADE); removing a
// backend empties backend_id of its meetings (ON DELETE SET NULL).
//
// Records are the store's own (store::Frontend/Backend/Meeting) behind shared_ptr<const>.
// A meeting's state_json, updated_at and synced_at are as of the last time its placement
// changed or the view was reloaded: state-only updates are not notified (see schema
// migration 2). Use the view to route; ask the store or the backend for meeting state.
//
// Failure policy: when a refresh or reload cannot reach the store, the last snapshot keeps
// being served and stale() turns true; the next change or ResyncAll then reloads everything
// (a row change may have been lost), and a successful reload clears stale().
//
// Thread-safety: every member may be called concurrently from any thread.
// Ownership: the store must outlive the ClusterState; an attached feed must be stopped
// before the ClusterState is destroyed. Snapshots and records handed out stay valid for as
// long as the caller holds them, independent of the ClusterState.

#include "store/change_feed.hpp"
#include "store/records.hpp"

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace b3s::core::store {
class Store;
}

namespace b3s::core::cluster {

using FrontendPtr = std::shared_ptr<const store::Frontend>;
using BackendPtr = std::shared_ptr<const store::Backend>;
using MeetingPtr = std::shared_ptr<const store::Meeting>;
/// Every backend, ordered by host, then id.
using BackendList = std::vector<BackendPtr>;

/// One immutable, consistent version of the view. Lookups never throw; a miss is nullptr.
/// Ids are matched as the store writes them (uuids in canonical lowercase; upper-case uuid
/// input is accepted too); meeting ids and frontend keys exactly.
class ClusterSnapshot {
public:
    ~ClusterSnapshot();
    ClusterSnapshot(const ClusterSnapshot&) = delete;
    ClusterSnapshot& operator=(const ClusterSnapshot&) = delete;

    FrontendPtr frontendByKey(std::string_view key) const;
    FrontendPtr frontend(std::string_view id) const;
    BackendPtr backend(std::string_view id) const;
    const BackendList& backends() const;
    /// Scoped to its tenant: another frontend's meeting is absent, exactly like a missing one.
    MeetingPtr meeting(std::string_view frontend_id, std::string_view meeting_id) const;
    /// The frontend's meetings, ordered by created_at, then id.
    std::vector<MeetingPtr> meetingsOfFrontend(std::string_view frontend_id) const;
    /// The meetings placed on a backend (all frontends), ordered by created_at, then id.
    /// Internal, unscoped: for placement and load, never to answer a frontend. The list
    /// lives as long as this snapshot.
    const std::vector<MeetingPtr>& meetingsOnBackend(std::string_view backend_id) const;

    /// Every frontend, in no particular order.
    std::vector<FrontendPtr> frontends() const;
    /// Calls `visit` for every meeting of every frontend, in no particular order. Internal,
    /// unscoped (metrics); `visit` must not call back into the snapshot's owner's writers.
    void forEachMeeting(const std::function<void(const store::Meeting&)>& visit) const;

    std::size_t frontendCount() const;
    std::size_t backendCount() const;
    std::size_t meetingCount() const;
    /// Bumped by every change published; a newer snapshot has a larger number.
    std::uint64_t generation() const;

    /// For following the backends' meeting lists from one snapshot to the next without a
    /// lookup per backend (the placer, on every decision): the lists live in copy-on-write
    /// groups; a backend id always falls into the same group, and a group that is the same
    /// object in two snapshots holds the very same lists (a change copies only its group).
    static constexpr std::size_t kMeetingListGroups = 64;
    static std::size_t meetingListGroupOf(std::string_view backend_id);
    /// An identity to compare, valid while this snapshot is held; nullptr for an empty group.
    const void* meetingListGroup(std::size_t group) const;

    struct Data;  // implementation detail, defined in cluster_state.cpp

private:
    friend class ClusterState;
    explicit ClusterSnapshot(std::unique_ptr<const Data> data);
    std::unique_ptr<const Data> data_;
};

class ClusterState {
public:
    /// An empty view (generation 0) of `store`; call reload() or attach() to fill it.
    explicit ClusterState(store::Store& store);
    ~ClusterState();
    ClusterState(const ClusterState&) = delete;
    ClusterState& operator=(const ClusterState&) = delete;

    // Reading --------------------------------------------------------------------------

    /// The current snapshot. Never null.
    std::shared_ptr<const ClusterSnapshot> snapshot() const;

    // Shorthands, each on the snapshot current at the time of the call.
    FrontendPtr frontendByKey(std::string_view key) const;
    FrontendPtr frontend(std::string_view id) const;
    BackendPtr backend(std::string_view id) const;
    /// Shares ownership of the snapshot it belongs to (no copy of the list).
    std::shared_ptr<const BackendList> backends() const;
    MeetingPtr meeting(std::string_view frontend_id, std::string_view meeting_id) const;
    std::vector<MeetingPtr> meetingsOfFrontend(std::string_view frontend_id) const;

    /// True while the view may have missed a change because the store could not be read.
    bool stale() const noexcept { return stale_.load(); }

    // Following the database -----------------------------------------------------------

    /// Replaces the view with everything in the store (meetings, backends, frontends).
    /// Changes applied while it reads (refreshes, put()s) are applied again on top of what
    /// it read, so none is lost. On failure marks the view stale, keeps the old snapshot and
    /// throws the StoreError.
    void reload();
    /// Applies one change: re-reads the row (plus a frontend or backend it references and
    /// this view lacks) or drops it on Delete; ResyncAll, or any change while stale(),
    /// reloads everything. Never throws a StoreError: a failure marks the view stale.
    void refresh(const store::Change& change);
    /// Subscribes to `feed` and starts it; changes are applied on the feed's thread. The
    /// feed must be stopped before this ClusterState is destroyed. Throws std::logic_error
    /// when the feed is running already.
    void attach(store::ChangeFeed& feed);

    // Write-through, after this instance's own successful store writes -----------------
    // Each returns whether the view changed. Not applied (false): an older version than the
    // one held (frontends, backends and meetings compare `version`; a meeting re-created under
    // the same id, `updated_at`); a row the feed reported deleted (a late put() must not
    // resurrect it; a meeting id re-created with a later created_at is applied); a meeting
    // whose frontend is not in the view.
    // A meeting whose backend is not in the view is kept with backend_id emptied.
    // No store access, except put(Meeting) of an id the feed reported deleted while this
    // view did not hold it: then the store decides (one read; a StoreError marks stale).

    bool put(store::Frontend frontend);
    bool put(store::Backend backend);
    bool put(store::Meeting meeting);
    bool removeFrontend(std::string_view id);
    bool removeBackend(std::string_view id);
    bool removeMeeting(std::string_view meeting_id);

private:
    class Builder;
    using Mutation = std::function<bool(Builder&)>;

    // The *Locked members require write_mutex_.
    /// Builds the next snapshot from the current one and publishes it when `mutation`
    /// changed something; returns that.
    bool applyLocked(const Mutation& mutation);
    void publish(std::shared_ptr<const ClusterSnapshot> next);
    /// Re-reads the row `change` names and applies it; throws StoreError.
    bool refreshRow(const store::Change& change);
    void markStale(const std::string& operation, const std::exception& e);
    const std::optional<store::Micros>* tombstoneLocked(store::Change::Table table, std::string_view id) const;
    void buryLocked(store::Change::Table table, std::string_view id, std::optional<store::Micros> created_at);
    void unburyLocked(store::Change::Table table, std::string_view id);

    store::Store& store_;

    mutable std::mutex snapshot_mutex_;  // held only to copy or swap the pointer
    std::shared_ptr<const ClusterSnapshot> current_;

    std::mutex write_mutex_;  // one writer at a time builds the next snapshot
    std::uint64_t generation_ = 0;
    /// Rows the feed reported deleted (the 4,096 most recent), so a late put()
    /// does not resurrect them: table+id → created_at of the deleted meeting when the view
    /// held it (nullopt otherwise, and for frontends and backends).
    std::unordered_map<std::string, std::optional<store::Micros>> tombstones_;
    std::deque<std::string> tombstone_order_;
    /// While a reload reads the store, every mutation applied meanwhile is kept here too
    /// and replayed on top of what the reload read.
    bool journaling_ = false;
    std::vector<Mutation> journal_;

    std::mutex reload_mutex_;  // one reload at a time
    std::atomic<bool> stale_{false};
    std::atomic<std::uint64_t> failures_{0};  // store failures seen, to tell whether a reload is clean
};

}  // namespace b3s::core::cluster
